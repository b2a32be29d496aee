/**
 * Remote access: the settings of the listener that serves the REST API, the browser app and the
 * contract beyond the app itself (address, TLS, rate limits), kept in the data folder, and that
 * listener's life. The host supplies the wire (`StartRemoteListener`); the engine decides when.
 */
export { RemoteAccess, type RemoteAccessOptions, type RemoteListenConfig, type RemoteListener, type StartRemoteListener } from './remote-access.js';
export { isLoopback, isWildcard } from './listen-address.js';
