/**
 * A trigger whose run started but whose note on the trigger SQLite refused (another program held
 * the write lock past the busy timeout): the run is known as started. A file trigger's own writes
 * into the watched folder do not start it again, a webhook's caller gets the run's id rather than
 * an error that would make it call again; the refusal is said once with the clear message, and the
 * trigger notes its run once that run has ended and the file can be written again.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SchedulesRepository } from '../../../electron/engine/storage/schedules-repository.js';
import { closedAfterEach, makeTempDir, removeDir, shellStep, startEngine, waitForValue, workflowOf } from '../helpers.js';
import { heldLockMessage, lockingConnection, refuseFirstCall } from '../sqlite-connection.js';

const closeAfter = closedAfterEach();

describe('a trigger whose run could not be noted', () => {
  it('a file trigger keeps ignoring the run it started, says the refusal once, and notes the run when it ends', { timeout: 90_000 }, async () => {
    const root = makeTempDir('file-trigger-refused');
    closeAfter(() => removeDir(root));
    const dataDir = join(root, 'data');
    const file = join(dataDir, 'photon.db');
    const watched = join(root, 'project');
    mkdirSync(watched);
    const logged = vi.spyOn(console, 'error');
    const running = await startEngine(dataDir, { schedules: { fire: true } });
    closeAfter(() => running.close());
    // The run writes into the folder it watches, then waits: a trigger that forgot its run would start another meanwhile.
    const step = shellStep(1, `echo built > '${join(watched, 'out.txt')}'; touch '${join(root, 'wrote')}'; while [ ! -e '${join(root, 'go')}' ]; do sleep 0.05; done`);
    const { id: workflowId } = await running.call('workflows.save', { workflow: workflowOf([step], 'build') });
    const other = await lockingConnection(file, () => running.call('runs.list', {}));
    closeAfter(() => other.close());

    const refused = refuseFirstCall(other, SchedulesRepository.prototype, 'triggerFired');

    await running.call('triggers.add', { kind: 'file', workflowId, name: 'sources changed', path: watched, debounceMs: 100 });
    await new Promise((done) => setTimeout(done, 300));
    writeFileSync(join(watched, 'main.ts'), 'changed');

    const [run] = await waitForValue(async () => {
      const runs = await running.call('runs.list', { workflowId });
      return runs.length > 0 ? runs : undefined;
    }, 'the run the trigger started');
    await waitForValue(() => (existsSync(join(root, 'wrote')) ? true : undefined), 'the run to write into the watched folder');
    expect(refused).toHaveLength(1);
    // Many times the debounce: long enough for its own write to have started another run, were it counted.
    await new Promise((done) => setTimeout(done, 2000));
    writeFileSync(join(root, 'go'), '');
    expect(await running.waitForRun(run!.runId)).toBe('succeeded');
    // Its own write started nothing: still the one run.
    expect((await running.call('runs.list', { workflowId })).map((r) => r.runId)).toEqual([run!.runId]);

    const message = heldLockMessage(file, "the trigger's record of it is tried again when the run ends");
    const said = logged.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('sources changed'));
    expect(said).toEqual([`photon: trigger "sources changed" of build started run ${run!.runId}, but could not note it on the trigger: ${message}`]);
    // Once the run ended the file could be written again: the trigger shows the run it started.
    const [trigger] = await waitForValue(async () => {
      const triggers = await running.call('triggers.list', { workflowId });
      return triggers[0]?.lastRunId === run!.runId ? triggers : undefined;
    }, 'the trigger to note its run');
    expect(trigger).toMatchObject({ lastRunId: run!.runId, lastError: null });

    // A change by the user after the run's end is a new firing, noted as usual.
    writeFileSync(join(watched, 'main.ts'), 'changed again');
    const runs = await waitForValue(async () => {
      const listed = await running.call('runs.list', { workflowId });
      return listed.length === 2 ? listed : undefined;
    }, 'a second run from the user’s change');
    const second = runs.find((r) => r.runId !== run!.runId)!;
    expect(await running.waitForRun(second.runId)).toBe('succeeded');
    await waitForValue(async () => ((await running.call('triggers.list', { workflowId }))[0]?.lastRunId === second.runId ? true : undefined), 'the trigger to note the second run');
  });

  it("a webhook answers with the run it started, says the refusal once, and notes the run when it ends", async () => {
    const root = makeTempDir('webhook-refused');
    closeAfter(() => removeDir(root));
    const dataDir = join(root, 'data');
    const file = join(dataDir, 'photon.db');
    const logged = vi.spyOn(console, 'error');
    const running = await startEngine(dataDir, { schedules: { fire: true } });
    closeAfter(() => running.close());
    const { id: workflowId } = await running.call('workflows.save', { workflow: workflowOf([shellStep(1, `while [ ! -e '${join(root, 'go')}' ]; do sleep 0.05; done`)], 'deploy') });
    const { trigger, secret } = await running.call('triggers.add', { kind: 'webhook', workflowId, name: 'on push' });
    const other = await lockingConnection(file, () => running.call('runs.list', {}));
    closeAfter(() => other.close());
    const refused = refuseFirstCall(other, SchedulesRepository.prototype, 'triggerFired');

    const { runId } = await running.webhook(trigger.id, secret, '127.0.0.1');
    expect(refused).toHaveLength(1);
    expect((await running.call('runs.list', { workflowId })).map((r) => r.runId)).toEqual([runId]);
    const message = heldLockMessage(file, "the trigger's record of it is tried again when the run ends");
    expect(logged.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('on push'))).toEqual([
      `photon: trigger "on push" of deploy started run ${runId}, but could not note it on the trigger: ${message}`,
    ]);

    writeFileSync(join(root, 'go'), '');
    expect(await running.waitForRun(runId)).toBe('succeeded');
    const [listed] = await waitForValue(async () => {
      const triggers = await running.call('triggers.list', { workflowId });
      return triggers[0]?.lastRunId === runId ? triggers : undefined;
    }, 'the trigger to note its run');
    expect(listed).toMatchObject({ lastRunId: runId, lastError: null });
  }, 60_000);
});
