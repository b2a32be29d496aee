import { createRequire } from 'node:module';
import { PhotonError } from '../../../shared/errors.js';

/** Service name of every Photon entry in the OS keychain. */
export const keychainService = 'Photon';

type Keytar = typeof import('keytar');

/** The OS keychain as Photon uses it; values leave it only into a process's environment. */
export interface Keychain {
  names(): Promise<string[]>;
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
}

const unavailableHelp =
  process.platform === 'linux'
    ? 'No OS keychain (Secret Service) is available in this session. Install and start one, e.g. `sudo apt install gnome-keyring` and log in to a desktop session (or run `gnome-keyring-daemon --start --components=secrets` inside a D-Bus session), then try again. Photon never stores secrets in plain text.'
    : 'The OS keychain is not available. Unlock your keychain and try again. Photon never stores secrets in plain text.';

/** keytar, loaded on first use so a machine without its native module can still run everything else. */
export function createKeychain(service = keychainService, loadKeytar: () => Keytar = defaultLoader): Keychain {
  let keytar: Keytar | undefined;
  const use = async <T>(work: (k: Keytar) => Promise<T>): Promise<T> => {
    try {
      keytar ??= loadKeytar();
      return await work(keytar);
    } catch (error) {
      if (error instanceof PhotonError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new PhotonError('unavailable', `${unavailableHelp} (keychain said: ${reason})`);
    }
  };
  return {
    names: () => use(async (k) => (await k.findCredentials(service)).map((c) => c.account).sort()),
    get: (name) => use((k) => k.getPassword(service, name)),
    set: (name, value) => use((k) => k.setPassword(service, name, value)),
    delete: (name) => use((k) => k.deletePassword(service, name)),
  };
}

function defaultLoader(): Keytar {
  // keytar is CommonJS with a native binding; createRequire keeps it out of ESM static imports.
  return createRequire(import.meta.url)('keytar') as Keytar;
}
