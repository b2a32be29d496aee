/**
 * The runs list as history pages show it (runs.list, GET /api/v1/operations): one page read in two
 * statements must say exactly what a run's own summary says (status, step counts, parent, trigger),
 * newest first, runs made in the same millisecond included, on every page of a long history and
 * through every filter. Real SQLite in a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage, type Storage } from '../../../electron/engine/storage/index.js';
import type { StepStatus } from '../../../shared/runs.js';

let dir = '';
let storage: Storage;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'photon-run-list-'));
  storage = openStorage(dir);
});
afterEach(() => {
  storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const stepStatuses: StepStatus[] = ['succeeded', 'failed', 'running', 'pending', 'skipped', 'cancelled', 'timed_out', 'retrying'];

/** A run made at `createdAt` with one step of each status from `from` on (a few per run). */
function makeRun(id: string, createdAt: string, options: { steps?: number; status?: 'succeeded' | 'failed' | 'running'; workflowId?: string; trigger?: string } = {}) {
  const steps = Array.from({ length: options.steps ?? 3 }, (_, i) => i + 1);
  storage.runs.createRun({
    id,
    workflowId: options.workflowId ?? null,
    workflowName: `flow ${id}`,
    definition: JSON.stringify({ name: `flow ${id}`, workflow: steps.map((step) => ({ step, platform: 'shell', inputs: { command: 'x'.repeat(3000) } })) }),
    status: options.status ?? 'succeeded',
    concurrency: 2,
    baseDir: dir,
    owner: null,
    createdAt,
    startedAt: createdAt,
    steps,
    ...(options.trigger ? { triggerKind: 'schedule' as const, triggerName: options.trigger } : {}),
  });
  for (const step of steps) storage.runs.updateStep(id, step, { status: stepStatuses[(step + id.length) % stepStatuses.length]! });
}

/** What each run's own summary says, in the order given. */
const ownSummaries = (ids: string[]) => ids.map((id) => storage.runs.summarize(storage.runs.getRun(id)!));

describe('the runs list', () => {
  it('pages a long history newest first, each row what the run itself says, same-millisecond runs newest first', () => {
    const ids: string[] = [];
    for (let n = 0; n < 120; n++) {
      // Pairs made in the same millisecond: the later one is listed first.
      const id = `run-${n % 2 === 0 ? 'z' : 'a'}${String(n).padStart(4, '0')}`;
      makeRun(id, new Date(Date.parse('2026-03-01T00:00:00Z') + Math.floor(n / 2) * 1000).toISOString(), { steps: 1 + (n % 5), status: n % 3 === 0 ? 'failed' : 'succeeded', trigger: n === 101 ? 'nightly' : undefined });
      ids.push(id);
    }
    storage.runs.links.link('run-z0100', { runId: 'run-a0099', step: 2, attempt: 1 }, {});

    const newestFirst = [...ids].reverse();
    const pages = [0, 50, 100].map((offset) => storage.runs.listRuns(50, undefined, { offset }));
    expect(pages.map((page) => page.length)).toEqual([50, 50, 20]);
    expect(pages.flat()).toEqual(ownSummaries(newestFirst));
    expect(pages[0]!.slice(0, 2).map((r) => r.runId)).toEqual(['run-a0119', 'run-z0118']);
    expect(pages[0]!.find((r) => r.runId === 'run-z0100')).toMatchObject({ parent: { runId: 'run-a0099', step: 2 } });
    expect(pages[0]!.find((r) => r.runId === 'run-a0101')).toMatchObject({ trigger: { kind: 'schedule', name: 'nightly' } });
    expect(pages[0]!.find((r) => r.runId === 'run-a0119')!.counts.total).toBe(5);

    const failed = storage.runs.listRuns(200, undefined, { status: ['failed'] });
    expect(failed).toEqual(ownSummaries(newestFirst.filter((id) => Number(id.slice(5)) % 3 === 0)));
    const window = storage.runs.listRuns(200, undefined, { since: Date.parse('2026-03-01T00:00:10Z'), until: Date.parse('2026-03-01T00:00:20Z') });
    expect(window.map((r) => r.runId)).toEqual(newestFirst.filter((id) => Number(id.slice(5)) >= 20 && Number(id.slice(5)) < 40));
    expect(storage.runs.listRuns(50, undefined, { offset: 500 })).toEqual([]);
  });

  it('filters by workflow, and a run without steps counts none', () => {
    for (const id of ['wf-1', 'wf-2']) storage.workflows.insert({ id, name: id, definition: '{}', createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z' });
    makeRun('one', '2026-03-01T00:00:01.000Z', { workflowId: 'wf-1' });
    makeRun('two', '2026-03-01T00:00:02.000Z', { workflowId: 'wf-2' });
    makeRun('three', '2026-03-01T00:00:03.000Z', { workflowId: 'wf-1', steps: 0 });
    const listed = storage.runs.listRuns(10, 'wf-1');
    expect(listed).toEqual(ownSummaries(['three', 'one']));
    expect(listed[0]!.counts).toEqual({ total: 0, pending: 0, running: 0, succeeded: 0, failed: 0, skipped: 0, cancelled: 0 });
  });
});
