/**
 * An attempt's temp folder outlives an engine that dies mid-attempt; the next engine on the same
 * data folder removes it when it recovers the run. The engine runs in its own process
 * (test/fixtures/run-engine.ts) and is killed with SIGKILL.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import { runEngine } from '../engine-process.js';
import { holdsPid, makeTempDir, readPid, removeDir, repoRoot, shellStep, startEngine, waitUntil, workflowOf } from '../helpers.js';

let root = '';
let engine: Engine | undefined;

beforeEach(() => {
  root = makeTempDir('attempt-folder-crash');
});

afterEach(async () => {
  await engine?.close();
  engine = undefined;
  const leader = join(root, 'work', 'leader');
  if (holdsPid(leader)) {
    try {
      process.kill(-readPid(leader), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  removeDir(root);
});

/** Runs the workflow in an engine of its own, and kills it (SIGKILL) once a step has written its pid to work/leader. */
async function crashOnceStarted(steps: Parameters<typeof workflowOf>[0]): Promise<{ dataDir: string; work: string }> {
  const dataDir = join(root, 'data');
  const work = join(root, 'work');
  const workflowFile = join(work, 'workflow.json');
  writeFileSync(workflowFile, JSON.stringify(workflowOf(steps, 'crash')));
  const child = spawn(process.execPath, [runEngine, dataDir, workflowFile], { cwd: repoRoot, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await waitUntil(() => holdsPid(join(work, 'leader')), 'the step to start', 30_000);
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  return { dataDir, work };
}

it('is removed when the next engine recovers the run of an engine that died during the attempt, with the one made ahead for the step after it', async () => {
  mkdirSync(join(root, 'work'));
  // The step leaves a file in its temp folder, then waits (ignoring the hang-up of its dead engine's terminal),
  // once the folder of the step after it has been made ahead (folders-ahead.ts).
  const script = 'trap "" HUP; touch "$TMPDIR/left"; echo "$TMPDIR" > tmpdir; while [ ! -d "${TMPDIR%/*}/step-2.attempt-1.tmp" ]; do sleep 0.05; done; echo $$ > leader; sleep 300';
  const { dataDir, work } = await crashOnceStarted([shellStep(1, script), shellStep(2, 'true', { dependencies: [1] })]);
  const tmpdir = readFileSync(join(work, 'tmpdir'), 'utf8').trim();
  expect(tmpdir.startsWith(join(dataDir, 'runs')), `the step's TMPDIR ${tmpdir}`).toBe(true);
  expect(existsSync(join(tmpdir, 'left')), 'the file the step left in its temp folder').toBe(true);

  engine = await startEngine(dataDir);
  expect(engine.recoveredRuns, 'runs the dead engine left running').toHaveLength(1);
  expect(existsSync(tmpdir), `${tmpdir} after recovery`).toBe(false);
  const ahead = join(tmpdir, '..', 'step-2.attempt-1.tmp');
  expect(existsSync(ahead), `${ahead}, made ahead for the step that never started, after recovery`).toBe(false);
}, 60_000);

it('is removed by recovery when it was an ended attempt\'s empty folder kept for a later attempt (spare-folders.ts)', async () => {
  mkdirSync(join(root, 'work'));
  // Steps 1 and 2 end leaving their folders empty; step 3 (after both) gets one of them and waits: the other is kept, unused, as the engine dies.
  const wait = 'trap "" HUP; echo "$TMPDIR" > tmpdir; echo $$ > leader; sleep 300';
  const { dataDir, work } = await crashOnceStarted([shellStep(1, 'true'), shellStep(2, 'true'), shellStep(3, wait, { dependencies: [1, 2] })]);
  const runFolder = join(readFileSync(join(work, 'tmpdir'), 'utf8').trim(), '..');
  const folders = () => readdirSync(runFolder).filter((name) => name.endsWith('.tmp'));
  // Step 3's, and the one kept (whichever of steps 1 and 2 ended last, or both if they ended together).
  const kept = folders().filter((name) => name !== 'step-3.attempt-1.tmp');
  expect(folders(), "step 3's folder").toContain('step-3.attempt-1.tmp');
  expect(kept.length, `folders kept beside it: ${kept.join(', ')}`).toBeGreaterThan(0);
  expect(kept.every((name) => /^step-[12]\.attempt-1\.tmp$/.test(name)), kept.join(', ')).toBe(true);

  engine = await startEngine(dataDir);
  expect(engine.recoveredRuns, 'runs the dead engine left running').toHaveLength(1);
  expect(folders(), 'attempt folders after recovery').toEqual([]);
}, 60_000);
