/**
 * Secrets: the only owner of keytar. API keys live in the OS keychain (service `Photon`); names
 * cross the contract, values never do. A value goes only into the environment of the process
 * that needs it, and is redacted from everything stored or shown.
 */
export { createKeychain, keychainService, type Keychain } from './keychain.js';
export { Redactor, RedactingStream, redactionMark } from './redactor.js';
export { SecretService, type ResolvedSecrets, type SecretUse } from './secret-service.js';
