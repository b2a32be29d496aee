import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { PhotonError } from '../../../shared/errors.js';
import type { RunStatus } from '../../../shared/runs.js';
import { defaultDebounceMs, webhookPath, type CreatedTrigger, type ScheduleAddParams, type ScheduleInfo, type TriggerAddParams, type TriggerInfo } from '../../../shared/schedules.js';
import type { ScheduleRow, SchedulesRepository, TriggerRow } from '../storage/index.js';
import { systemClock, type Clock } from './clock.js';
import { localTimeZone, nextFireAfter, parseCron } from './cron.js';
import { FileTriggers } from './file-triggers.js';
import { SchedulerLock } from './scheduler-lock.js';
import { Scheduler, type RunTrigger } from './scheduler.js';
import { noteFailedStart, noteStartedRun, triggerStarter } from './started-run-note.js';
import { hashWebhookSecret, newWebhookSecret, webhookSecretMatches } from './webhook-secret.js';

export interface AutomationDeps {
  repo: SchedulesRepository;
  dataDir: string;
  /** The saved workflow's name; throws not_found for an unknown id. */
  workflowName(workflowId: string): string;
  /** Starts a run of a saved workflow, saying what started it. */
  fire(workflowId: string, trigger: RunTrigger): Promise<string>;
  waitForRun(runId: string): Promise<RunStatus>;
  /** A refused webhook call, for the audit log. */
  refused(target: string, address: string, detail: string): void;
  /** Whether this engine fires schedules and file triggers (the desktop app, `photon daemon`); others only edit them. */
  fires: boolean;
  clock?: Clock;
  log?(message: string): void;
  /** Scheduler tuning for tests. */
  pollMs?: number;
  graceMs?: number;
}

export type ScheduleAdd = ScheduleAddParams;
export type TriggerAdd = TriggerAddParams;

/**
 * Schedules and triggers of saved workflows: kept, checked and listed here for every engine; fired
 * by the one engine on a data folder that holds the scheduler lock, when it is a host that fires.
 */
export class AutomationService {
  private readonly clock: Clock;
  private readonly scheduler: Scheduler | undefined;
  private readonly files: FileTriggers | undefined;
  private readonly log: (message: string) => void;

  constructor(private readonly deps: AutomationDeps) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log ?? ((message) => console.error(`photon: ${message}`));
    if (!deps.fires) return;
    const files = new FileTriggers({ repo: deps.repo, fire: deps.fire, waitForRun: deps.waitForRun, log: this.log });
    this.files = files;
    this.scheduler = new Scheduler({
      repo: deps.repo,
      clock: this.clock,
      lock: new SchedulerLock(deps.dataDir),
      fire: deps.fire,
      waitForRun: deps.waitForRun,
      sync: (active) => files.sync(active),
      log: this.log,
      pollMs: deps.pollMs,
      graceMs: deps.graceMs,
    });
  }

  /** Runs what was missed while no engine ran (as each schedule says) and starts firing. */
  start(): void {
    this.scheduler?.start();
  }

  async close(): Promise<void> {
    await this.scheduler?.close();
    this.files?.close();
  }

  listSchedules(workflowId?: string): ScheduleInfo[] {
    return this.deps.repo.listSchedules(workflowId);
  }

  addSchedule(params: ScheduleAdd): ScheduleInfo {
    this.deps.workflowName(params.workflowId);
    const timeZone = params.timeZone ?? localTimeZone();
    const now = this.clock.now();
    parseCron(params.cron, timeZone, now);
    const enabled = params.enabled ?? true;
    const id = newAutomationId();
    const inserted = this.deps.repo.insertSchedule({
      id,
      workflowId: params.workflowId,
      name: params.name,
      cron: params.cron,
      timeZone,
      catchUp: params.catchUp ?? false,
      enabled,
      nextFireAt: enabled ? iso(nextFireAfter(params.cron, timeZone, now)) : null,
      createdAt: new Date(now).toISOString(),
    });
    if (!inserted) throw new PhotonError('conflict', `this workflow already has a schedule named "${params.name}"; choose another name or remove that one first`, { issues: [{ path: 'name', message: 'already used' }] });
    this.scheduler?.changed();
    return this.requireSchedule(id);
  }

  removeSchedule(id: string): { removed: boolean } {
    const removed = this.deps.repo.removeSchedule(id);
    if (removed) this.scheduler?.changed();
    return { removed };
  }

  setScheduleEnabled(id: string, enabled: boolean): ScheduleInfo {
    const schedule = this.requireSchedule(id);
    // Switched on, it starts from now: the times it spent off are not missed ones.
    this.deps.repo.setScheduleEnabled(id, enabled, enabled ? iso(nextFireAfter(schedule.cron, schedule.timeZone, this.clock.now())) : null);
    this.scheduler?.changed();
    return this.requireSchedule(id);
  }

  listTriggers(workflowId?: string): TriggerInfo[] {
    return this.deps.repo.listTriggers(workflowId).map(triggerInfo);
  }

  addTrigger(params: TriggerAdd): CreatedTrigger {
    this.deps.workflowName(params.workflowId);
    const id = newAutomationId();
    const base = { id, workflowId: params.workflowId, name: params.name, enabled: params.enabled ?? true, createdAt: new Date(this.clock.now()).toISOString() };
    let secret: string | undefined;
    let inserted: boolean;
    if (params.kind === 'file') {
      checkWatchable(params.path);
      inserted = this.deps.repo.insertTrigger({ ...base, kind: 'file', path: params.path, debounceMs: params.debounceMs ?? defaultDebounceMs, secretHash: null });
    } else {
      secret = newWebhookSecret();
      inserted = this.deps.repo.insertTrigger({ ...base, kind: 'webhook', path: null, debounceMs: null, secretHash: hashWebhookSecret(secret) });
    }
    if (!inserted) throw new PhotonError('conflict', `this workflow already has a trigger named "${params.name}"; choose another name or remove that one first`, { issues: [{ path: 'name', message: 'already used' }] });
    this.scheduler?.changed();
    const trigger = triggerInfo(this.requireTrigger(id));
    return secret === undefined ? { trigger } : { trigger, secret };
  }

  removeTrigger(id: string): { removed: boolean } {
    const removed = this.deps.repo.removeTrigger(id);
    if (removed) this.scheduler?.changed();
    return { removed };
  }

  setTriggerEnabled(id: string, enabled: boolean): TriggerInfo {
    this.requireTrigger(id);
    this.deps.repo.setTriggerEnabled(id, enabled);
    this.scheduler?.changed();
    return triggerInfo(this.requireTrigger(id));
  }

  /**
   * A call to a webhook's URL: starts a run when `secret` is the trigger's. An unknown trigger and a
   * wrong or missing secret get the same refusal (nothing tells a caller which ids exist), recorded
   * in the audit log.
   */
  async webhook(id: string, secret: string | undefined, address: string): Promise<{ runId: string }> {
    const trigger = this.deps.repo.getTrigger(id);
    const target = `POST ${webhookPath(id)}`;
    if (!trigger || trigger.kind !== 'webhook' || trigger.secretHash === null || secret === undefined || !webhookSecretMatches(secret, trigger.secretHash)) {
      const detail = secret === undefined ? 'webhook called without its secret' : trigger?.kind === 'webhook' ? 'webhook called with a wrong secret' : 'no webhook with this id';
      this.deps.refused(target, address, detail);
      throw new PhotonError('unauthorized', 'wrong or missing webhook secret: send the secret shown when the webhook was made in the X-Photon-Secret header');
    }
    if (!trigger.enabled) throw new PhotonError('conflict', `webhook "${trigger.name}" is turned off; turn it on in the workflow's schedules and triggers (or \`photon schedules enable ${trigger.id}\`)`);
    const at = new Date(this.clock.now()).toISOString();
    const repo = this.deps.repo;
    const notes = { file: repo.file, log: this.log };
    let runId: string;
    try {
      runId = await this.deps.fire(trigger.workflowId, { kind: 'webhook', name: trigger.name });
    } catch (error) {
      // The caller hears why the run did not start, even when the note of it is refused too.
      noteFailedStart(notes, triggerStarter(trigger), () => repo.triggerFired(id, at, { error: error instanceof Error ? error.message : String(error) }));
      throw error;
    }
    // Started: the caller hears so even when its note on the trigger is refused, or it would call again for a second run.
    noteStartedRun(notes, triggerStarter(trigger), runId, () => repo.triggerFired(id, at, { runId }), () => this.deps.waitForRun(runId));
    return { runId };
  }

  private requireSchedule(id: string): ScheduleRow {
    const row = this.deps.repo.getSchedule(id);
    if (!row) throw new PhotonError('not_found', `no schedule ${id}; \`photon schedules\` lists them`);
    return row;
  }

  private requireTrigger(id: string): TriggerRow {
    const row = this.deps.repo.getTrigger(id);
    if (!row) throw new PhotonError('not_found', `no trigger ${id}; \`photon schedules\` lists them`);
    return row;
  }
}

function newAutomationId(): string {
  return randomBytes(6).toString('hex');
}

function iso(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}

/** A file trigger's path must be absolute and exist now, or the user would wait for runs that never come. */
function checkWatchable(path: string): void {
  const refuse = (message: string) => new PhotonError('invalid', message, { issues: [{ path: 'path', message }] });
  if (!isAbsolute(path)) throw refuse(`the path to watch must be absolute, not "${path}" (e.g. /home/me/project/src)`);
  try {
    statSync(path);
  } catch {
    throw refuse(`${path} does not exist; give a file or folder that does`);
  }
}

function triggerInfo(row: TriggerRow): TriggerInfo {
  const { secretHash: _secret, ...info } = row;
  return { ...info, webhookPath: row.kind === 'webhook' ? webhookPath(row.id) : null };
}
