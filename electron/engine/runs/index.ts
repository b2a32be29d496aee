/**
 * Runs: workflow executions. The executor schedules one run's steps; the service starts, cancels,
 * resumes and recovers runs and is the only holder of live executors.
 */
export { RunService, type RunServiceOptions, type StartRunRequest } from './run-service.js';
export { StepSessions, type StepSessionsDeps } from './step-sessions.js';
export { BudgetAsks, type BudgetInbox } from './budget-asks.js';
