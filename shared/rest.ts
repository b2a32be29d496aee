import { z } from 'zod';
import { agentSchema } from './agents.js';
import { errorCodes } from './errors.js';
import { runStatuses, stepStatuses } from './runs.js';
import { stepSchema } from './workflow.js';

/**
 * The specification's REST API (`/api/v1`): its envelope, errors and the shapes of its resources.
 * The server validates requests with these schemas and generates its OpenAPI document from them,
 * so the document cannot drift from what is enforced. Each endpoint is a thin translation onto the
 * contract in shared/api.ts (an operation is a run, a platform is a tool).
 */

export const apiBasePath = '/api/v1';

/** The largest request body the API reads; a larger one is refused with 413 before it is parsed. */
export const maxApiBodyBytes = 1024 * 1024;

/**
 * The engine's codes (shared/errors.ts) and the few only HTTP has: a caller known but not allowed
 * (`forbidden`), a body over the limit (`too_large`), too many requests (`rate_limited`).
 */
export const apiErrorCodes = ['invalid', 'not_found', 'conflict', 'unauthorized', 'forbidden', 'too_large', 'rate_limited', 'unavailable', 'internal'] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];
// Every engine code must be one of the API's: a code added to the engine without a status here fails to compile.
const _engineCodesCovered: readonly ApiErrorCode[] = errorCodes;

/** Where a bad value is (`body.agent.name`, `query.limit`, `params.id`) and what is wrong with it. */
export const apiIssueSchema = z.object({ place: z.string(), message: z.string() }).meta({ id: 'Issue' });
export type ApiIssue = z.infer<typeof apiIssueSchema>;

export const apiErrorSchema = z
  .object({
    code: z.enum(apiErrorCodes),
    message: z.string(),
    /** Each bad field on its own, for a form or a script to point at. */
    issues: z.array(apiIssueSchema).optional(),
  })
  .meta({ id: 'Error' });
export type ApiError = z.infer<typeof apiErrorSchema>;

const envelopeFields = {
  requestId: z.string().meta({ description: 'Also sent as the X-Request-Id header; quote it when reporting a problem.' }),
  timestamp: z.iso.datetime({ offset: true }),
  processingTime: z.number().meta({ description: 'Milliseconds the server spent on the request.' }),
};

/** Every answer: `data` on success, `error` on failure, never both. */
export function envelopeSchema<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data, error: z.null(), ...envelopeFields });
}

export const errorEnvelopeSchema = z.object({ success: z.literal(false), data: z.null(), error: apiErrorSchema, ...envelopeFields }).meta({ id: 'ErrorEnvelope' });

export interface Envelope<T> {
  success: boolean;
  data: T | null;
  error: ApiError | null;
  requestId: string;
  timestamp: string;
  processingTime: number;
}

const resourceId = z.string().min(1).max(200);
export const idParamSchema = z.object({ id: resourceId });

// ---- health ----

export const healthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

const checkSchema = z.object({ status: z.enum(['ok', 'degraded', 'down']), detail: z.string() });
export const detailedHealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'down']),
    version: z.string(),
    uptimeSeconds: z.number(),
    checks: z.object({ engine: checkSchema, database: checkSchema, keychain: checkSchema, tools: checkSchema, disk: checkSchema }),
  })
  .meta({ id: 'DetailedHealth' });
export type DetailedHealth = z.infer<typeof detailedHealthSchema>;

// ---- operations (runs) ----

const countsSchema = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  running: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  cancelled: z.number().int(),
});

export const operationSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    workflowId: z.string().nullable(),
    status: z.enum(runStatuses),
    /** Steps it may run at once. */
    concurrency: z.number().int(),
    progress: z.object({ done: z.number().int(), total: z.number().int(), percent: z.number() }),
    counts: countsSchema,
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    /** A sub-workflow's operation: the operation and step that started it. */
    parent: z.object({ id: z.string(), step: z.number().int() }).optional(),
    /** What started it when not a caller: a schedule, a file trigger or a webhook, by name. */
    trigger: z.object({ kind: z.enum(['schedule', 'file', 'webhook']), name: z.string() }).optional(),
  })
  .meta({ id: 'OperationSummary' });
export type OperationSummary = z.infer<typeof operationSummarySchema>;

export const operationStepSchema = z.object({
  step: z.number().int(),
  title: z.string(),
  platform: z.string(),
  status: z.enum(stepStatuses),
  attempts: z.number().int(),
  agentId: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  error: z.string().nullable(),
  /** A sub-workflow step (`"platform": "workflow"`): the operation its latest attempt started. */
  childOperationId: z.string().optional(),
});

export const operationSchema = operationSummarySchema
  .extend({
    description: z.string().nullable(),
    priority: z.string().nullable(),
    deadline: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    steps: z.array(operationStepSchema),
    /** The output of each step that succeeded, as later steps see it. */
    results: z.array(z.object({ step: z.number().int(), output: z.string().nullable() })),
    errors: z.array(z.object({ step: z.number().int(), message: z.string() })),
  })
  .meta({ id: 'Operation' });
export type Operation = z.infer<typeof operationSchema>;

/** Query strings arrive as text: numbers and lists are read from it. */
const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((text) => text.split(',').map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

export const listOperationsQuerySchema = z
  .object({
    status: csv(runStatuses).optional().meta({ description: `One or more of ${runStatuses.join(', ')}, comma-separated.` }),
    workflow: resourceId.optional().meta({ description: 'A saved workflow id.' }),
    since: z.iso.datetime({ offset: true }).optional().meta({ description: 'Created at or after (ISO 8601).' }),
    until: z.iso.datetime({ offset: true }).optional().meta({ description: 'Created before (ISO 8601).' }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const operationPageSchema = z
  .object({
    operations: z.array(operationSummarySchema),
    /** The `offset` of the next page; null on the last one. */
    nextOffset: z.number().int().nullable(),
  })
  .meta({ id: 'OperationPage' });

/**
 * The specification's CreateOperationRequest: an operation written inline (the same format as a
 * workflow file) or a saved workflow by id; `baseDir` and `concurrency` as `runs.start` has them.
 */
export const createOperationSchema = z
  .object({
    workflowId: resourceId.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(10_000).optional(),
    priority: z.string().max(50).optional(),
    agents: z.unknown().optional(),
    platforms: z.unknown().optional(),
    workflow: z.array(stepSchema).min(1).max(10_000).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    deadline: z.iso.datetime({ offset: true }).optional(),
    baseDir: z.string().min(1).max(4096).optional(),
    concurrency: z.number().int().min(1).max(64).optional(),
  })
  .strict()
  .refine((body) => (body.workflowId === undefined) !== (body.workflow === undefined), {
    message: 'give either workflowId (a saved workflow) or workflow (its steps), not both',
  })
  .refine((body) => body.workflow === undefined || body.name !== undefined, { message: 'an inline operation needs a name', path: ['name'] })
  .meta({ id: 'CreateOperationRequest' });
export type CreateOperationRequest = z.infer<typeof createOperationSchema>;

/** PUT /operations/:id: what may change while it runs or after; `deadline: null` removes it. */
export const updateOperationSchema = z
  .object({
    priority: z.string().min(1).max(50).optional(),
    deadline: z.iso.datetime({ offset: true }).nullable().optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((body) => body.priority !== undefined || body.deadline !== undefined || body.metadata !== undefined, { message: 'give at least one of priority, deadline or metadata' })
  .meta({ id: 'UpdateOperationRequest' });

export const createdOperationSchema = z.object({ id: z.string() }).meta({ id: 'CreatedOperation' });

// ---- agents ----

export const agentBodySchema = agentSchema.meta({ id: 'AgentDefinition' });
/** PUT /agents/:id takes the definition without its id (the path names it), or with the same id. */
export const agentUpdateSchema = agentSchema.partial({ id: true }).meta({ id: 'AgentUpdate' });

export const apiAgentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    tool: z.string(),
    model: z.string().nullable(),
    capabilities: z.array(z.string()),
    maxConcurrentSteps: z.number().int(),
    status: z.enum(['idle', 'busy', 'error', 'unavailable', 'inactive']),
    reason: z.string().nullable(),
    heartbeatIntervalSeconds: z.number().nullable(),
    /** The last heartbeat the engine received (this engine's life only); null for an agent without heartbeats or before its first. */
    lastHeartbeatAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Agent' });
export type ApiAgent = z.infer<typeof apiAgentSchema>;

// ---- platforms (tools) ----

export const platformSchema = z
  .object({
    name: z.string(),
    label: z.string(),
    primaryInput: z.enum(['command', 'prompt']),
    installed: z.boolean(),
    usable: z.boolean(),
    version: z.string().nullable(),
    problem: z.string().nullable(),
  })
  .meta({ id: 'Platform' });
export type ApiPlatform = z.infer<typeof platformSchema>;

export const platformNameParamSchema = z.object({ name: z.string().min(1).max(64) });

export const platformHealthSchema = z
  .object({
    name: z.string(),
    status: z.enum(['ok', 'unavailable']),
    installed: z.boolean(),
    path: z.string().nullable(),
    version: z.string().nullable(),
    minimumVersion: z.string().nullable(),
    tooOld: z.boolean(),
    problem: z.string().nullable(),
    notes: z.array(z.string()),
    checkedAt: z.string(),
  })
  .meta({ id: 'PlatformHealth' });

/** One action of one platform, run as a one-step operation. */
export const executeSchema = z
  .object({
    action: z.string().min(1).max(200).optional(),
    inputs: z.record(z.string(), z.unknown()).default({}),
    agent: z.string().min(1).max(200).optional(),
    timeout: z.number().int().positive().max(86_400).optional().meta({ description: 'Seconds.' }),
    cwd: z.string().min(1).max(4096).optional(),
  })
  .strict()
  .meta({ id: 'ExecuteRequest' });

export const waitQuerySchema = z
  .object({ wait: z.enum(['true', 'false']).default('true').meta({ description: 'false: answer 202 with the operation id at once.' }) })
  .strict();

// ---- events ----

export const eventsQuerySchema = z
  .object({
    operation: resourceId.optional().meta({ description: 'Only events about this operation (run id).' }),
    type: z.string().max(2000).optional().meta({ description: 'Event names, comma-separated (run.updated, step.updated, …).' }),
    lastEventId: z.string().max(40).optional().meta({ description: 'Resume after this event id (the Last-Event-ID header does the same).' }),
  })
  .strict();

export const apiEventSchema = z
  .object({ id: z.string(), event: z.string(), timestamp: z.string(), payload: z.unknown() })
  .meta({ id: 'Event' });
export type ApiEvent = z.infer<typeof apiEventSchema>;
