import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, sep } from 'node:path';
import type { RunStatus } from '../../../shared/runs.js';
import { defaultDebounceMs } from '../../../shared/schedules.js';
import type { SchedulesRepository, TriggerRow } from '../storage/index.js';
import type { RunTrigger } from './scheduler.js';
import { noteStartedRun, triggerStarter } from './started-run-note.js';

export interface FileTriggersDeps {
  repo: SchedulesRepository;
  fire(workflowId: string, trigger: RunTrigger): Promise<string>;
  waitForRun(runId: string): Promise<RunStatus>;
  log(message: string): void;
}

interface Watch {
  /** What the watcher was made for: a trigger whose path or delay changed gets a new one. */
  key: string;
  /** The watched file or folder itself: one removed and made again is a new one, to watch anew. */
  inode: number;
  watcher: FSWatcher;
  timer?: NodeJS.Timeout;
  /** A run it started has not ended: changes now are its own steps' writes, not the user's. */
  running: boolean;
  closed: boolean;
}

/**
 * File triggers, on Node's own fs.watch (recursive on Linux, macOS and Windows since Node 20, so no
 * watcher library is needed): a folder is watched with everything under it, a file through its
 * folder, so an editor that saves by writing a new file and renaming it over the old one still
 * counts. Changes are debounced: a burst of writes starts one run, `debounceMs` after the last.
 * Changes while the trigger's own run is going are ignored, or a workflow that writes into the
 * folder it watches would start itself forever; changes inside `.git` are never counted.
 */
export class FileTriggers {
  private readonly watches = new Map<string, Watch>();
  /** The last problem told per trigger, so one that persists (a folder still missing) is told once, not every pass. */
  private readonly told = new Map<string, string>();

  constructor(private readonly deps: FileTriggersDeps) {}

  /** Watches exactly the enabled file triggers when `active`, nothing otherwise. */
  sync(active: boolean): void {
    const wanted = active ? this.deps.repo.listTriggers().filter((t) => t.kind === 'file' && t.enabled && t.path !== null) : [];
    const keep = new Set<string>();
    for (const trigger of wanted) {
      const key = `${trigger.path}\0${trigger.debounceMs ?? defaultDebounceMs}`;
      keep.add(trigger.id);
      const existing = this.watches.get(trigger.id);
      if (existing && existing.key === key && !existing.closed && inodeOf(trigger.path!) === existing.inode) continue;
      if (existing) this.stop(trigger.id);
      this.open(trigger, key);
    }
    for (const id of [...this.watches.keys()]) if (!keep.has(id)) this.stop(id);
  }

  close(): void {
    for (const id of [...this.watches.keys()]) this.stop(id);
  }

  private open(trigger: TriggerRow, key: string): void {
    const path = trigger.path!;
    let folder: boolean;
    let inode: number;
    try {
      const stat = statSync(path);
      folder = stat.isDirectory();
      inode = stat.ino;
    } catch {
      // Gone for now (a folder being recreated); the next pass looks again.
      this.fail(trigger, `${path} does not exist; the trigger waits for it to come back`);
      return;
    }
    const name = basename(path);
    let watcher: FSWatcher;
    try {
      watcher = folder ? watch(path, { recursive: true, persistent: false }) : watch(dirname(path), { persistent: false });
    } catch (error) {
      this.fail(trigger, `cannot watch ${path}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    // Watched again after a problem: the problem is over.
    if (this.told.delete(trigger.id)) this.clearError(trigger.id);
    const entry: Watch = { key, inode, watcher, running: false, closed: false };
    this.watches.set(trigger.id, entry);
    watcher.on('change', (_event, changed) => {
      const file = changed === null ? null : String(changed);
      if (folder ? file !== null && isInGit(file) : file !== name) return;
      if (entry.running || entry.closed) return;
      clearTimeout(entry.timer);
      entry.timer = setTimeout(() => this.fire(trigger, entry), trigger.debounceMs ?? defaultDebounceMs);
    });
    watcher.on('error', (error) => {
      // The folder was removed or the watch limit reached: dropped, and made again at the next pass.
      entry.closed = true;
      clearTimeout(entry.timer);
      watcher.close();
      this.fail(trigger, `stopped watching ${path}: ${error.message}`);
    });
  }

  private fire(trigger: TriggerRow, entry: Watch): void {
    if (entry.closed) return;
    entry.running = true;
    void this.runOnce(trigger, new Date().toISOString()).finally(() => {
      entry.running = false;
    });
  }

  /** Starts the trigger's run and waits for its end: until then, changes in the folder are the run's own writes. */
  private async runOnce(trigger: TriggerRow, at: string): Promise<void> {
    let runId: string;
    try {
      runId = await this.deps.fire(trigger.workflowId, { kind: 'file', name: trigger.name });
    } catch (error) {
      this.fail(trigger, `could not start a run: ${error instanceof Error ? error.message : String(error)}`, at);
      return;
    }
    // The run started whatever becomes of its note on the trigger (SQLite refusing it): the wait
    // below must still come, or the run's writes into the folder would start it again, and again.
    const ended = this.deps.waitForRun(runId).catch(() => undefined);
    const repo = this.deps.repo;
    noteStartedRun({ file: repo.file, log: this.deps.log }, triggerStarter(trigger), runId, () => repo.triggerFired(trigger.id, at, { runId }), () => ended);
    await ended;
  }

  /** A firing that could not start a run (`at`), or a problem of the watch itself, told once while it lasts. */
  private fail(trigger: TriggerRow, why: string, at?: string): void {
    if (at === undefined && this.told.get(trigger.id) === why) return;
    if (at === undefined) this.told.set(trigger.id, why);
    this.deps.log(`trigger "${trigger.name}" of ${trigger.workflowName}: ${why}`);
    try {
      if (at === undefined) this.deps.repo.setTriggerError(trigger.id, why);
      else this.deps.repo.triggerFired(trigger.id, at, { error: why });
    } catch {
      // Removed meanwhile, or the storage is closing.
    }
  }

  private clearError(id: string): void {
    try {
      this.deps.repo.setTriggerError(id, null);
    } catch {
      // Removed meanwhile, or the storage is closing.
    }
  }

  private stop(id: string): void {
    const entry = this.watches.get(id);
    if (!entry) return;
    entry.closed = true;
    clearTimeout(entry.timer);
    entry.watcher.close();
    this.watches.delete(id);
  }
}

function inodeOf(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

function isInGit(relative: string): boolean {
  return relative === '.git' || relative.startsWith(`.git${sep}`) || relative.includes(`${sep}.git${sep}`);
}
