import { z } from 'zod';
import { scheduleAddParams, triggerAddParams, triggerKinds, type CreatedTrigger, type ScheduleInfo, type TriggerInfo } from './schedules.js';

/**
 * Schedules and triggers as the REST API shows them (electron/server/api/routes/schedules.ts). The
 * request bodies are the contract's own schemas (schedules.add, triggers.add), so the API refuses
 * exactly what the engine would, and the document describes the same fields.
 */

const when = z.string().nullable();

export const scheduleSchema = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    workflowName: z.string(),
    name: z.string(),
    cron: z.string().meta({ description: 'Five fields (minute hour day month weekday) or six with seconds first.' }),
    timeZone: z.string().meta({ description: "IANA name; the cron's hours are that zone's wall clock." }),
    catchUp: z.boolean().meta({ description: 'A time missed while no engine ran is run once at the next start (true) or skipped.' }),
    enabled: z.boolean(),
    nextFireAt: when.meta({ description: 'When it fires next; null when turned off or never again.' }),
    lastFiredAt: when,
    lastRunId: when,
    lastError: when.meta({ description: 'Why its latest firing could not start a run.' }),
    createdAt: z.string(),
  })
  .meta({ id: 'Schedule' });

export const triggerSchema = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    workflowName: z.string(),
    name: z.string(),
    kind: z.enum(triggerKinds),
    path: when.meta({ description: "A file trigger's file or folder." }),
    debounceMs: z.number().int().nullable(),
    webhookPath: when.meta({ description: "A webhook's path on this server: POST it with the secret in X-Photon-Secret." }),
    enabled: z.boolean(),
    lastFiredAt: when,
    lastRunId: when,
    lastError: when,
    createdAt: z.string(),
  })
  .meta({ id: 'Trigger' });

export const createdTriggerSchema = z
  .object({
    trigger: triggerSchema,
    secret: z.string().optional().meta({ description: "A webhook's secret: shown in this answer only, kept hashed." }),
  })
  .meta({ id: 'CreatedTrigger' });

export const createScheduleSchema = scheduleAddParams.meta({ id: 'CreateScheduleRequest' });
export const createTriggerSchema = triggerAddParams.meta({ id: 'CreateTriggerRequest' });

export const listAutomationQuerySchema = z
  .object({ workflow: z.string().min(1).max(200).optional().meta({ description: "Only this saved workflow's (its id)." }) })
  .strict();

export const removedSchema = z.object({ id: z.string(), removed: z.literal(true) });

// The answers are the engine's own objects: these fail to compile if the two shapes drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const schedulesMatch: Same<z.output<typeof scheduleSchema>, ScheduleInfo> = true;
export const triggersMatch: Same<z.output<typeof triggerSchema>, TriggerInfo> = true;
export const createdTriggersMatch: Same<z.output<typeof createdTriggerSchema>, CreatedTrigger> = true;
