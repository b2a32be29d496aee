import { z } from 'zod';
import { scheduleAddParams, triggerAddParams, type CreatedTrigger, type ScheduleInfo, type TriggerInfo } from '../schedules.js';
import { id, lazyMethods, noParams, returns } from './schema.js';

/** What starts saved workflows without a person: cron schedules, file and webhook triggers. */
export const scheduleMethods = lazyMethods({
  /** Cron schedules of saved workflows (one workflow's with `workflowId`), with when each fires next. */
  'schedules.list': { params: () => z.object({ workflowId: id.optional() }).strict().optional(), result: returns<ScheduleInfo[]>() },
  /** Adds a schedule; a bad cron expression or time zone is refused naming it. `catchUp`: a time missed while Photon was not running runs once at the next start. */
  'schedules.add': { params: () => scheduleAddParams, result: returns<ScheduleInfo>() },
  'schedules.remove': { params: () => z.object({ id }).strict(), result: returns<{ removed: boolean }>() },
  'schedules.setEnabled': { params: () => z.object({ id, enabled: z.boolean() }).strict(), result: returns<ScheduleInfo>() },
  /** File and webhook triggers of saved workflows (one workflow's with `workflowId`). */
  'triggers.list': { params: () => z.object({ workflowId: id.optional() }).strict().optional(), result: returns<TriggerInfo[]>() },
  /** Adds a trigger; a webhook's secret is in this answer only (it is kept hashed). */
  'triggers.add': { params: () => triggerAddParams, result: returns<CreatedTrigger>() },
  'triggers.remove': { params: () => z.object({ id }).strict(), result: returns<{ removed: boolean }>() },
  'triggers.setEnabled': { params: () => z.object({ id, enabled: z.boolean() }).strict(), result: returns<TriggerInfo>() },
  /** Where this engine's webhooks are called: the address its HTTP server listens on (`http://127.0.0.1:PORT`), or null while none does. */
  'triggers.webhookBase': { params: () => noParams, result: returns<{ url: string | null }>() },
});
