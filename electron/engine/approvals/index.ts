/**
 * Approvals: the one inbox of every agent's permission requests (and every pty step waiting for
 * input), the ordered rules per agent and per workflow that answer them ahead of time, and the
 * record of who answered each. Sessions get their permission broker here.
 */
export { ApprovalsService, type ApprovalContext } from './approvals-service.js';
export { firstMatch, matches, reachesNetwork, insideFolder } from './rules.js';
