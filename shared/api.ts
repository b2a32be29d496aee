import type { z } from 'zod';
import { agentMethods } from './api/agents.js';
import { approvalMethods } from './api/approvals.js';
import type { EventName, EventPayload } from './api/events.js';
import { hostMethods } from './api/hosts.js';
import { runMethods } from './api/runs.js';
import { scheduleMethods } from './api/schedules.js';
import { sessionMethods } from './api/sessions.js';
import { systemMethods } from './api/system.js';
import { terminalMethods } from './api/terminals.js';
import { workflowMethods } from './api/workflows.js';
import { workspaceMethods } from './api/workspaces.js';

/**
 * The one contract between the engine and every client (the renderer over IPC or WebSocket,
 * the CLI in-process). Each method names its params schema, validated at every host boundary,
 * and its result type; each event names its payload type. Nothing else declares a channel name.
 *
 * The entries live by concern in shared/api/ (each `domain` of `domain.verb` in one file, so a
 * spread below never overwrites another's name: test/shared/api-groups.test.ts checks it);
 * everything imports the contract from this file only.
 */
export const methods = {
  ...workflowMethods,
  ...runMethods,
  ...workspaceMethods,
  ...terminalMethods,
  ...agentMethods,
  ...hostMethods,
  ...scheduleMethods,
  ...approvalMethods,
  ...sessionMethods,
  ...systemMethods,
} as const;

export { events, isEventName, type EventName, type EventPayload } from './api/events.js';
export { maxMessageBytes, maxRequestIdChars, quotedMethodName, type EventEnvelope, type ReplyEnvelope, type RequestEnvelope } from './api/wire.js';
export type { SystemInfo } from './api/system.js';
export type { SavedWorkflow, WorkflowSummary } from './api/workflows.js';

export type MethodName = keyof typeof methods;
export type MethodParams<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
export type ParsedParams<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
export type MethodResult<M extends MethodName> = (typeof methods)[M]['result'];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

/** What every client of the contract offers, whatever its transport. */
export interface PhotonClient {
  call<M extends MethodName>(method: M, ...params: undefined extends MethodParams<M> ? [MethodParams<M>?] : [MethodParams<M>]): Promise<MethodResult<M>>;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
}
