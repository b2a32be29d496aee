import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';

/**
 * What starts a saved workflow without a person: schedules (a cron expression in an IANA time zone)
 * and triggers (a file or folder changing, an HTTP webhook with its own secret). The engine fires
 * them while it runs (the desktop app, `photon daemon`); the runs they start carry their name.
 */

/** The most characters a schedule's or trigger's name may have (the forms stop typing there). */
export const automationNameMaxChars = 100;

/** A schedule's or trigger's name: shown on the runs it starts. */
export const automationNameSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1, 'give it a name (shown on the runs it starts)')
    .max(automationNameMaxChars, `at most ${automationNameMaxChars} characters`),
);

export interface ScheduleInfo {
  id: string;
  workflowId: string;
  workflowName: string;
  name: string;
  /** Five fields (minute hour day month weekday) or six with seconds first, as croner reads them. */
  cron: string;
  /** IANA name, e.g. Europe/Paris; the cron's hours are that zone's wall clock. */
  timeZone: string;
  /** A time missed while Photon was not running: run once at the next start (true) or skip it. */
  catchUp: boolean;
  enabled: boolean;
  /** When it fires next (ISO); null when disabled or the expression never matches again. */
  nextFireAt: string | null;
  lastFiredAt: string | null;
  lastRunId: string | null;
  /** Why its latest firing could not start a run (the workflow no longer valid, a tool gone). */
  lastError: string | null;
  createdAt: string;
}

export const triggerKinds = ['file', 'webhook'] as const;
export type TriggerKind = (typeof triggerKinds)[number];

export interface TriggerInfo {
  id: string;
  workflowId: string;
  workflowName: string;
  name: string;
  kind: TriggerKind;
  /** A file trigger's file or folder (absolute; a folder is watched with everything under it). */
  path: string | null;
  /** A file trigger waits this long after the last change before it starts a run. */
  debounceMs: number | null;
  /** A webhook's path on the local server: POST it with the secret in `X-Photon-Secret`. */
  webhookPath: string | null;
  enabled: boolean;
  lastFiredAt: string | null;
  lastRunId: string | null;
  /** Why its latest firing could not start a run (the workflow no longer valid, a tool gone). */
  lastError: string | null;
  createdAt: string;
}

/** `triggers.add`'s answer: a webhook's secret appears here once and is kept only hashed. */
export interface CreatedTrigger {
  trigger: TriggerInfo;
  secret?: string;
}

/** The header a webhook call carries its secret in. */
export const webhookSecretHeader = 'x-photon-secret';

/** Where a webhook listens, under the REST API's base. */
export function webhookPath(triggerId: string): string {
  return `/api/v1/hooks/${triggerId}`;
}

export const defaultDebounceMs = 1000;

const id = lazySchema(() => z.string().min(1).max(200));

export const scheduleAddParams = lazySchema(() =>
  z
    .object({
      workflowId: id,
      name: automationNameSchema,
      cron: z.string().trim().min(1, 'give a cron expression such as "0 2 * * *" (every day at 02:00)').max(200),
      /** IANA time zone; the engine's own when absent. */
      timeZone: z.string().trim().min(1).max(100).optional(),
      catchUp: z.boolean().optional(),
      enabled: z.boolean().optional(),
    })
    .strict(),
);

export const triggerAddParams = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('file'),
        workflowId: id,
        name: automationNameSchema,
        path: z.string().trim().min(1, 'give the file or folder to watch').max(4096),
        debounceMs: z.number().int().min(50, 'at least 50 ms').max(3_600_000, 'at most an hour').optional(),
        enabled: z.boolean().optional(),
      })
      .strict(),
    z.object({ kind: z.literal('webhook'), workflowId: id, name: automationNameSchema, enabled: z.boolean().optional() }).strict(),
  ]),
);

export type ScheduleAddParams = z.output<typeof scheduleAddParams>;
export type TriggerAddParams = z.output<typeof triggerAddParams>;
