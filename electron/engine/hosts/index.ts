/**
 * Hosts: steps and agents on other machines through the user's own OpenSSH. A registry of named
 * hosts with their health, one shared connection per host (ControlMaster), host keys accepted only
 * by the user, the tools found there, and each remote attempt: a remote pseudo-terminal streamed
 * to the same terminal view, secrets sent through the channel into its environment only, and every
 * remote process of the attempt stopped on cancel, timeout, a lost connection or an engine restart.
 */
export { HostService, type HostServiceOptions, type RemoteAttemptRequest } from './host-service.js';
export type { RemoteAttempt } from './remote-attempt.js';
