/**
 * File triggers against real files: a burst of writes into a watched folder starts one run (the
 * changes debounced), saying which trigger started it; a write inside .git does not count; a file
 * watched alone fires when an editor saves it by renaming a new file over it.
 */
import { appendFileSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import { isPhotonError } from '../../../shared/errors.js';
import type { RunSummary } from '../../../shared/runs.js';
import { makeTempDir, removeDir, shellStep, startEngine, waitForValue, workflowOf } from '../helpers.js';

let root = '';
let watched = '';
let engine: Engine;

beforeEach(async () => {
  root = makeTempDir('file-triggers');
  watched = join(root, 'project');
  mkdirSync(join(watched, '.git'), { recursive: true });
  engine = await startEngine(join(root, 'data'), { schedules: { fire: true } });
});
afterEach(async () => {
  await engine.close();
  removeDir(root);
});

async function savedWorkflow(): Promise<string> {
  return (await engine.call('workflows.save', { workflow: workflowOf([shellStep(1, 'echo checked')], 'check') })).id;
}

const runsOf = (workflowId: string): Promise<RunSummary[]> => engine.call('runs.list', { workflowId });
/** Whether the watcher is in place: the trigger's first pass has made it (the engine's start and every change run one). */
const settle = () => new Promise((done) => setTimeout(done, 300));

describe('file triggers', () => {
  it('a burst of writes in a watched folder starts one run, after the last write', async () => {
    const workflowId = await savedWorkflow();
    const { trigger } = await engine.call('triggers.add', { kind: 'file', workflowId, name: 'sources changed', path: watched, debounceMs: 2000 });
    expect(trigger).toMatchObject({ kind: 'file', path: watched, debounceMs: 2000, webhookPath: null, enabled: true });
    await settle();

    // Writes spread over a while, each well within the debounce of the one before.
    mkdirSync(join(watched, 'src'));
    for (let i = 0; i < 6; i++) {
      appendFileSync(join(watched, 'src', 'main.ts'), `line ${i}\n`);
      await new Promise((done) => setTimeout(done, 100));
    }
    writeFileSync(join(watched, 'README.md'), 'hello');
    const lastWrite = new Date().toISOString();

    const [run] = await waitForValue(async () => ((await runsOf(workflowId)).length > 0 ? runsOf(workflowId) : undefined), 'a run started by the trigger');
    expect(run!.trigger).toEqual({ kind: 'file', name: 'sources changed' });
    expect(run!.createdAt >= lastWrite).toBe(true);
    expect(await engine.waitForRun(run!.runId)).toBe('succeeded');
    const [listed] = await engine.call('triggers.list', { workflowId });
    expect(listed).toMatchObject({ lastRunId: run!.runId, lastError: null });

    // Well past the debounce: the burst gave one run, not one per write.
    await new Promise((done) => setTimeout(done, 3000));
    expect(await runsOf(workflowId)).toHaveLength(1);

    // A later change is a new burst: a second run.
    writeFileSync(join(watched, 'src', 'main.ts'), 'changed again');
    await waitForValue(async () => ((await runsOf(workflowId)).length === 2 ? true : undefined), 'a second run');
  });

  it('a change only inside .git starts nothing, and a turned-off trigger nothing either', async () => {
    const workflowId = await savedWorkflow();
    const { trigger } = await engine.call('triggers.add', { kind: 'file', workflowId, name: 'repo', path: watched, debounceMs: 200 });
    await settle();
    writeFileSync(join(watched, '.git', 'HEAD'), 'ref: refs/heads/main');
    mkdirSync(join(watched, '.git', 'refs'));
    writeFileSync(join(watched, '.git', 'refs', 'main'), 'abc');
    // Many times the debounce: a run would have started by now.
    await new Promise((done) => setTimeout(done, 2000));
    expect(await runsOf(workflowId)).toEqual([]);

    await engine.call('triggers.setEnabled', { id: trigger.id, enabled: false });
    writeFileSync(join(watched, 'file.txt'), 'while off');
    await new Promise((done) => setTimeout(done, 2000));
    expect(await runsOf(workflowId)).toEqual([]);

    await engine.call('triggers.setEnabled', { id: trigger.id, enabled: true });
    await settle();
    writeFileSync(join(watched, 'file.txt'), 'on again');
    await waitForValue(async () => ((await runsOf(workflowId)).length === 1 ? true : undefined), 'a run once switched back on');
  });

  it('a file watched alone fires when saved by renaming a new file over it', async () => {
    const workflowId = await savedWorkflow();
    const file = join(watched, 'config.json');
    writeFileSync(file, '{}');
    writeFileSync(join(watched, 'other.json'), '{}');
    await engine.call('triggers.add', { kind: 'file', workflowId, name: 'config', path: file, debounceMs: 200 });
    await settle();
    writeFileSync(join(watched, 'other.json'), '{"a":1}');
    writeFileSync(join(watched, '.config.json.tmp'), '{"b":2}');
    renameSync(join(watched, '.config.json.tmp'), file);
    const [run] = await waitForValue(async () => ((await runsOf(workflowId)).length > 0 ? runsOf(workflowId) : undefined), 'a run after the file was replaced');
    expect(run!.trigger).toEqual({ kind: 'file', name: 'config' });
  });

  it('a watched folder removed says so, and made again is watched again', async () => {
    // Its own engine, looking at its triggers every 200 ms instead of every minute.
    await engine.close();
    engine = await startEngine(join(root, 'data'), { schedules: { fire: true, pollMs: 200 } });
    const workflowId = await savedWorkflow();
    const { trigger } = await engine.call('triggers.add', { kind: 'file', workflowId, name: 'project', path: watched, debounceMs: 200 });
    await settle();
    writeFileSync(join(watched, 'a.txt'), 'first');
    const [first] = await waitForValue(async () => ((await runsOf(workflowId)).length === 1 ? runsOf(workflowId) : undefined), 'a run from the first change');
    await engine.waitForRun(first!.runId);

    rmSync(watched, { recursive: true, force: true });
    const gone = await waitForValue(async () => {
      const [listed] = await engine.call('triggers.list', { workflowId });
      return listed?.lastError?.includes('does not exist') ? listed : undefined;
    }, 'the trigger saying its folder is gone');
    // A problem of the watch, not a firing: the last run is still the one it started.
    expect(gone).toMatchObject({ id: trigger.id, lastRunId: first!.runId });

    mkdirSync(watched);
    await waitForValue(async () => ((await engine.call('triggers.list', { workflowId }))[0]!.lastError === null ? true : undefined), 'the folder watched again');
    writeFileSync(join(watched, 'b.txt'), 'second');
    await waitForValue(async () => ((await runsOf(workflowId)).length === 2 ? true : undefined), 'a run from a change in the new folder');
  });

  it('refuses a relative or missing path, naming the fix', async () => {
    const workflowId = await savedWorkflow();
    for (const [path, words] of [['src', 'must be absolute'], [join(root, 'nothing-here'), 'does not exist']] as const) {
      const error = await engine.call('triggers.add', { kind: 'file', workflowId, name: 'x', path }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isPhotonError(error) && error.code).toBe('invalid');
      expect((error as Error).message).toContain(words);
    }
    expect(await engine.call('triggers.list', { workflowId })).toEqual([]);
  });
});
