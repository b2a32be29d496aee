/** Agents: saved tool configurations, their live load and record, and choosing one for a step. */
export { AgentService, type AgentChoice, type AgentServiceOptions, type HeldBack } from './agent-service.js';
export { AgentGovernor, runsAnAgent, type GovernorOptions } from './governor.js';
export { rankAgents, type Candidate, type ScoredCandidate } from './scoring.js';
export { openToolSession, type ToolSessionDeps, type ToolSessionRequest } from './tool-session.js';
export { agentEnvironment, type AgentEnvironment } from './agent-environment.js';
export { sessionLaunch, type SessionLaunch, type SessionLaunchDeps, type SessionLaunchRequest } from './session-launch.js';
