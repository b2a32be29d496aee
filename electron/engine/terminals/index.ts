/**
 * Terminals: the only owner of node-pty. Every process the engine starts runs here, in its own
 * pseudo-terminal and process group, so it behaves as in the user's terminal, can be watched and
 * answered from the UI, and dies whole.
 */
export { spawnPty, type PtyProcess, type SpawnOptions, type ExitInfo } from './pty-process.js';
export { processIdentity, processIdentityOffThread, identityAlive, processGroupAlive, terminateProcessGroup } from './process-group.js';
export { markedProcesses, sessionLeaderWithEnvironment, stopMarkedProcesses } from './marked-processes.js';
export { TerminalManager, type TerminalHandle, type CreateTerminalOptions, type OutputFilter, type TerminalEvents, type TerminalManagerOptions } from './terminal-manager.js';
export { Scrollback } from './scrollback.js';
export { FlowControl } from './flow-control.js';
