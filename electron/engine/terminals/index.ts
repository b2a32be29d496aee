/**
 * Terminals: the only owner of node-pty. Every process the engine starts runs here, in its own
 * pseudo-terminal and process group, so it behaves as in the user's terminal and dies whole.
 */
export { spawnPty, killGroupNow, type PtyProcess, type SpawnOptions, type ExitInfo } from './pty-process.js';
export { processIdentity, identityAlive, processGroupAlive, terminateProcessGroup } from './process-group.js';
