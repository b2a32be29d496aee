// SQLite refuses a write while a workflow runs (here a full database: PRAGMA max_page_count on the
// engine's own connection, a real SQLITE_FULL from a real file). The engine stays up; the run whose
// writes were lost is stopped and failed as a crash and a recovery would leave it, saying why and
// what to do; a restart finds the same; once there is room again, the same engine writes and the run resumes.
import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import type { RunDetail, RunSummary, StepState } from '../../../shared/runs.js';
import { holdsPid, isDead, readPid, removeDir, shellStep, startEngine, makeTempDir, waitUntil, workflowOf } from '../helpers.js';
import { connectionOf } from '../sqlite-connection.js';

/** No page more than it has: the next write that needs one is refused with SQLITE_FULL, as on a full disk. */
function fill(db: Database.Database): void {
  // A free page would take the next write; the engine's fresh database has none.
  expect(db.pragma('freelist_count', { simple: true })).toBe(0);
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
}

function stateOf(detail: RunDetail) {
  return {
    status: detail.status,
    steps: detail.steps.map((step) => ({ step: step.step, status: step.status, error: step.error })),
  };
}

describe('a write SQLite refuses while a workflow runs', () => {
  let root = '';
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    vi.restoreAllMocks();
    removeDir(root);
  });

  it('fails the run saying why, stops its processes, matches the file after a restart, and resumes once there is room', async () => {
    root = makeTempDir('write-failure');
    const dataDir = join(root, 'data');
    const work = root;
    const file = join(dataDir, 'photon.db');
    const logged = vi.spyOn(console, 'error');
    engine = await startEngine(dataDir);
    const runUpdates: RunSummary[] = [];
    const stepUpdates: StepState[] = [];
    engine.on('run.updated', (summary) => runUpdates.push(summary));
    engine.on('step.updated', ({ step }) => stepUpdates.push(step));

    // Step 1 ends with 200 KB of output, which the database has no room for; step 3 runs beside it.
    const workflow = workflowOf([
      shellStep(1, `echo $$ > s1.pid; while [ ! -e go ]; do sleep 0.05; done; head -c 200000 /dev/zero | tr '\\0' x`),
      shellStep(2, 'touch s2-ran', { dependencies: [1] }),
      shellStep(3, 'echo $$ > s3.pid; [ -e go ] || exec sleep 600'),
    ]);
    const { runId } = await engine.call('runs.start', { workflow, baseDir: work, concurrency: 2 });
    await waitUntil(() => holdsPid(join(work, 's1.pid')) && holdsPid(join(work, 's3.pid')), 'steps 1 and 3 to start', 30_000);
    const sleeper = readPid(join(work, 's3.pid'));
    const db = await connectionOf(file, () => engine!.call('runs.list', {}));
    fill(db);
    writeFileSync(join(work, 'go'), '');

    expect(await engine.waitForRun(runId)).toBe('failed');
    const message = `cannot write Photon's history at ${file}: database or disk is full; free disk space and resume the run`;
    const detail = await engine.call('runs.get', { runId });
    expect(stateOf(detail)).toEqual({
      status: 'failed',
      steps: [
        { step: 1, status: 'failed', error: message },
        { step: 2, status: 'pending', error: null },
        { step: 3, status: 'failed', error: message },
      ],
    });
    // The step beside it was stopped, not left running; the step after it never ran.
    await waitUntil(() => isDead(sleeper), "step 3's process to be gone", 10_000);
    expect(existsSync(join(work, 's2-ran'))).toBe(false);
    // Nothing stays running in the file.
    const attempts = (await engine.call('runs.timeline', { runId })).attempts;
    expect(attempts.map((a) => a.status)).toEqual(['failed', 'failed']);
    // What the user sees: the run failed and the steps that ran say why, live; the engine said it once.
    expect(runUpdates.filter((r) => r.runId === runId).at(-1)?.status).toBe('failed');
    expect(stepUpdates.filter((s) => s.step === 1).at(-1)).toMatchObject({ status: 'failed', error: message });
    expect(logged.mock.calls.filter((call) => String(call[0]).includes("cannot write Photon's history"))).toEqual([[`photon: ${message}`]]);

    // A run refused as it starts is not made at all, and its caller hears why.
    const big = workflowOf([shellStep(1, `true ${'x'.repeat(20_000)}`)]);
    await expect(engine.call('runs.start', { workflow: big, baseDir: work })).rejects.toThrow(
      `cannot write Photon's history at ${file}: database or disk is full; free disk space and start the run again`,
    );
    expect((await engine.call('runs.list', {})).map((r) => r.runId)).toEqual([runId]);
    expect(logged.mock.calls.filter((call) => String(call[0]).includes("cannot write Photon's history"))).toHaveLength(1);

    // Any other request SQLite refuses says where and what to do, not "internal error".
    await expect(engine.call('workflows.save', { workflow: big })).rejects.toThrow(
      `cannot write Photon's history at ${file}: database or disk is full; free disk space and try again`,
    );
    expect(logged.mock.calls.filter((call) => String(call[0]).includes('internal error'))).toEqual([]);

    // The same engine writes again once there is room.
    db.pragma('max_page_count = 1073741823');
    const other = await engine.call('runs.start', { workflow: workflowOf([shellStep(1, 'true')]), baseDir: work });
    expect(await engine.waitForRun(other.runId)).toBe('succeeded');

    // A restart (and its recovery) finds the run as the engine left it.
    await engine.close();
    engine = await startEngine(dataDir);
    expect(stateOf(await engine.call('runs.get', { runId }))).toEqual(stateOf(detail));

    const resumed = await engine.call('runs.resume', { runId });
    expect(await engine.waitForRun(resumed.runId)).toBe('succeeded');
    expect(existsSync(join(work, 's2-ran'))).toBe(true);
  }, 60_000);
});
