/**
 * The one door from the Electron host into electron/server, for the two wires the desktop app
 * shares with `photon serve` and `photon daemon` instead of holding copies of them: the listener
 * that serves remote access when the user turns it on (the engine decides when it listens), and
 * the connection to a running daemon, whose engine the app then uses. Everything else in
 * electron/server stays out of the app's reach (eslint, electron/main).
 */
export { connectToDaemon, DaemonEngine, type HostedEngine } from './daemon/index.js';
export { remoteListener } from './web/remote-listener.js';
