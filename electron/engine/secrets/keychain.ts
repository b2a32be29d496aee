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

/** How long a keychain call may take before it counts as unavailable (a locked keychain can wait for its owner for ever). */
export const defaultKeychainTimeoutMs = 20_000;

/**
 * keytar, loaded on first use so a machine without its native module can still run everything else.
 * One call at a time, each with a time limit: keytar cannot be cancelled, and every call that hangs
 * (a locked keychain waiting for its owner) holds one of libuv's four threads until it returns, so
 * unbounded hung calls would stall all of Node's file I/O. While one hangs, others fail at once.
 */
export function createKeychain(service = keychainService, loadKeytar: () => Keytar = defaultLoader, timeoutMs = defaultKeychainTimeoutMs): Keychain {
  let keytar: Keytar | undefined;
  let current: Promise<unknown> | undefined;
  let hung = false;
  const silent = () =>
    new PhotonError(
      'unavailable',
      `The OS keychain did not answer within ${Math.round(timeoutMs / 1000)} s. It may be locked and waiting for you to unlock it: unlock it and try again.`,
    );

  const use = async <T>(work: (k: Keytar) => Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const silence = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        if (current) hung = true;
        reject(silent());
      }, timeoutMs);
    });
    try {
      while (current) {
        if (hung) throw silent();
        await Promise.race([current.then(ignore, ignore), silence]);
      }
      keytar ??= loadKeytar();
      const call = work(keytar);
      current = call;
      const settled = () => {
        if (current !== call) return;
        current = undefined;
        hung = false;
      };
      call.then(settled, settled);
      return await Promise.race([call, silence]);
    } catch (error) {
      if (error instanceof PhotonError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new PhotonError('unavailable', `${unavailableHelp} (keychain said: ${reason})`);
    } finally {
      clearTimeout(timer);
      // A rejection nobody waits for any more (the call won the race) must not surface as unhandled.
      silence.catch(ignore);
    }
  };
  return {
    names: () => use(async (k) => (await k.findCredentials(service)).map((c) => c.account).sort()),
    get: (name) => use((k) => k.getPassword(service, name)),
    set: (name, value) => use((k) => k.setPassword(service, name, value)),
    delete: (name) => use((k) => k.deletePassword(service, name)),
  };
}

function ignore(): void {}

function defaultLoader(): Keytar {
  // keytar is CommonJS with a native binding; createRequire keeps it out of ESM static imports.
  return createRequire(import.meta.url)('keytar') as Keytar;
}
