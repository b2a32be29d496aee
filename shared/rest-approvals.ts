import { z } from 'zod';
import { approvalAnswers } from './approvals.js';

/**
 * The approvals inbox and resuming, as the REST API shows them (electron/server/api/routes/
 * approvals.ts and operations.ts): a remote `photon approve`, `deny` and `resume` use these.
 */

export const approvalSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['permission', 'input', 'gate', 'budget']),
    status: z.enum(['waiting', 'allowed', 'denied', 'cancelled', 'expired']),
    sessionId: z.string().nullable(),
    /** The operation (run) and step that asked, when a step did. */
    runId: z.string().nullable(),
    step: z.number().int().nullable(),
    agentName: z.string().nullable(),
    tool: z.string(),
    /** What the agent wants to do, in its words: "Run npm test". */
    title: z.string(),
    toolKind: z.string().nullable(),
    command: z.string().nullable(),
    diffs: z.array(z.object({ path: z.string(), oldText: z.string().nullable(), newText: z.string() })).readonly(),
    cwd: z.string().nullable(),
    createdAt: z.string(),
    answer: z.enum(approvalAnswers).nullable(),
    answeredBy: z.string().nullable(),
    answeredAt: z.string().nullable(),
    message: z.string().nullable(),
  })
  .meta({ id: 'Approval' });

export const listApprovalsQuerySchema = z
  .object({
    all: z
      .enum(['true', 'false'])
      .optional()
      .transform((text) => text === 'true')
      .meta({ description: 'Also answered, expired and cancelled requests (newest first); by default only what waits.' }),
    operation: z.string().min(1).max(200).optional().meta({ description: "Only this operation's requests." }),
  })
  .strict();

/** `once`, `run` (the same kind of call for the rest of the run), `always` (a rule), or `deny` with an optional message to the agent. */
export const answerApprovalSchema = z
  .object({
    answer: z.enum(approvalAnswers),
    message: z.string().min(1).max(4000).optional(),
  })
  .strict()
  .meta({ id: 'ApprovalAnswer' });

/** POST /operations/:id/resume: `saved` resumes with the workflow as saved now, `run` (default) with the run's own. */
export const resumeOperationSchema = z
  .object({ definition: z.enum(['run', 'saved']).optional() })
  .strict()
  .meta({ id: 'ResumeOperationRequest' });
