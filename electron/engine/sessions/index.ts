/**
 * Sessions: agents that speak the Agent Client Protocol, driven over their stdio. The only importer
 * of `@agentclientprotocol/sdk`. An {@link AgentSession} starts the agent in its own process group,
 * streams its conversation (messages, plan, tool calls and diffs, usage), hands its permission
 * requests to a {@link PermissionBroker} (the approvals inbox), cancels turns, queues follow-ups,
 * and fails with a reason a user can act on when the agent misbehaves.
 */
export {
  AgentSession,
  SessionFailed,
  type AgentSessionOptions,
  type PermissionAnswer,
  type PermissionBroker,
  type PermissionOptionInfo,
  type PermissionQuestion,
  type SessionListener,
} from './agent-session.js';
export type { AgentCommand } from './agent-process.js';
export type { TextRedactor } from './conversation.js';
export { SessionService, type AcpLaunch, type SessionServiceDeps, type StandaloneLaunch, type StandaloneSessionRequest } from './session-service.js';
