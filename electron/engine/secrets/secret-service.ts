import { PhotonError, isPhotonError } from '../../../shared/errors.js';
import type { Keychain } from './keychain.js';
import { Redactor } from './redactor.js';

/** A keychain entry an agent uses, and the environment variable its value fills. */
export interface SecretUse {
  secret: string;
  variable: string;
}

/** Values read for one process: its variables, and a redactor that hides them from everything stored. */
export interface ResolvedSecrets {
  env: Record<string, string>;
  redactor: Redactor;
}

/** Secret names for the contract; values only for the process that needs them. */
export class SecretService {
  constructor(private readonly keychain: Keychain) {}

  /** Names only; without a keychain, `available: false` and the fix instead of an error. */
  async list(): Promise<{ available: boolean; reason: string | null; names: string[] }> {
    try {
      return { available: true, reason: null, names: await this.keychain.names() };
    } catch (error) {
      if (isPhotonError(error) && error.code === 'unavailable') return { available: false, reason: error.message, names: [] };
      throw error;
    }
  }

  set(name: string, value: string): Promise<void> {
    return this.keychain.set(name, value);
  }

  delete(name: string): Promise<boolean> {
    return this.keychain.delete(name);
  }

  /**
   * Reads each secret right before its process starts. A missing one is an error naming it and how
   * to set it; an empty one fills nothing (an empty key would override a signed-in subscription).
   */
  async resolve(uses: readonly SecretUse[], owner: string): Promise<ResolvedSecrets> {
    const env: Record<string, string> = {};
    const values = new Map<string, string>();
    for (const { secret, variable } of uses) {
      const value = await this.keychain.get(secret);
      if (value === null) {
        throw new PhotonError(
          'invalid',
          `secret "${secret}" (for ${variable} of ${owner}) is not in the keychain; set it on the Agents page or with \`photon secrets set ${secret}\``,
        );
      }
      if (value.trim() === '') continue;
      env[variable] = value;
      values.set(secret, value);
    }
    return { env, redactor: new Redactor(values) };
  }
}
