/**
 * Schedules and webhooks while SQLite refuses a write (another program holding the write lock past
 * the busy timeout): a schedule's run that started is known as started and noted once it has
 * ended; a webhook whose run could not start tells its caller why, not that the note of the failure
 * was refused; a pass that cannot read the schedules says so once, with the clear message, and fires
 * once the file can be written again.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SchedulesRepository } from '../../../electron/engine/storage/schedules-repository.js';
import { isPhotonError } from '../../../shared/errors.js';
import { closedAfterEach, makeTempDir, removeDir, shellStep, startEngine, waitForValue, workflowOf } from '../helpers.js';
import { heldLockMessage, lockingConnection, refuseFirstCall } from '../sqlite-connection.js';
import { ManualClock } from './manual-clock.js';

const start = Date.parse('2026-03-02T01:58:30Z');
const closeAfter = closedAfterEach();

/** An engine that fires schedules, on a data folder of its own, with console.error watched and another connection to lock its file. */
async function engineOn(name: string, clock?: ManualClock) {
  const root = makeTempDir(name);
  closeAfter(() => removeDir(root));
  const file = join(root, 'data', 'photon.db');
  const logged = vi.spyOn(console, 'error');
  const engine = await startEngine(join(root, 'data'), { schedules: { fire: true, ...(clock ? { clock } : {}) } });
  closeAfter(() => engine.close());
  const other = await lockingConnection(file, () => engine.call('runs.list', {}));
  closeAfter(() => other.close());
  return { root, file, logged, engine, other };
}

function said(logged: { mock: { calls: unknown[][] } }, about: string): string[] {
  return logged.mock.calls.map((call) => String(call[0])).filter((line) => line.includes(about));
}

describe('schedules and webhooks when the history cannot be written', () => {
  it("a schedule's started run is said once, not fired again, and noted on the schedule when it ends", async () => {
    const clock = new ManualClock(start);
    const { root, file, logged, engine: running, other } = await engineOn('schedule-refused', clock);
    const { id: workflowId } = await running.call('workflows.save', { workflow: workflowOf([shellStep(1, `while [ ! -e '${join(root, 'go')}' ]; do sleep 0.05; done`)], 'nightly') });
    await running.call('schedules.add', { workflowId, name: 'at two', cron: '0 2 * * *', timeZone: 'UTC' });
    const refused = refuseFirstCall(other, SchedulesRepository.prototype, 'scheduleOutcome');

    clock.advance(120_000);
    const [run] = await waitForValue(async () => {
      const runs = await running.call('runs.list', { workflowId });
      return runs.length > 0 ? runs : undefined;
    }, 'the run the schedule started');
    await waitForValue(() => (refused.length > 0 ? true : undefined), 'the note of the run to be refused');
    const message = heldLockMessage(file, "the schedule's record of it is tried again when the run ends");
    expect(said(logged, 'at two')).toEqual([`photon: schedule "at two" of nightly started run ${run!.runId}, but could not note it on the schedule: ${message}`]);
    // Not SQLite's bare words from the scheduler's last resort.
    expect(said(logged, 'schedules:')).toEqual([]);

    writeFileSync(join(root, 'go'), '');
    expect(await running.waitForRun(run!.runId)).toBe('succeeded');
    const [listed] = await waitForValue(async () => {
      const schedules = await running.call('schedules.list', { workflowId });
      return schedules[0]?.lastRunId === run!.runId ? schedules : undefined;
    }, 'the schedule to note its run');
    expect(listed).toMatchObject({ lastRunId: run!.runId, lastError: null, nextFireAt: '2026-03-03T02:00:00.000Z' });
    expect((await running.call('runs.list', { workflowId })).map((r) => r.runId)).toEqual([run!.runId]);
  });

  it('a webhook whose run cannot start tells its caller why, even when the note of it is refused', async () => {
    const { root, file, logged, engine: running, other } = await engineOn('webhook-start-refused');
    // Its workspace is no git repository: the run cannot start.
    mkdirSync(join(root, 'not-a-repo'));
    const workflow = { ...workflowOf([shellStep(1, 'true')], 'deploy'), workspace: { repo: join(root, 'not-a-repo') } };
    const { id: workflowId } = await running.call('workflows.save', { workflow });
    const { trigger, secret } = await running.call('triggers.add', { kind: 'webhook', workflowId, name: 'on push' });
    const refused = refuseFirstCall(other, SchedulesRepository.prototype, 'triggerFired');

    const answer = await running.webhook(trigger.id, secret, '127.0.0.1').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toHaveLength(1);
    expect(isPhotonError(answer)).toBe(true);
    const reason = (answer as Error).message;
    expect(reason).toContain(join(root, 'not-a-repo'));
    expect(reason).not.toContain('database is locked');
    expect(said(logged, 'on push')).toEqual([
      `photon: trigger "on push" of deploy could not note on the trigger why its run did not start: ${heldLockMessage(file, 'the trigger shows the outcome of its next run')}`,
    ]);
    expect(await running.call('runs.list', { workflowId })).toEqual([]);
  });

  it('a pass that cannot claim a schedule says so once, and the time is caught up once the lock is let go', async () => {
    const clock = new ManualClock(start);
    const { file, logged, engine: running, other } = await engineOn('schedules-pass-refused', clock);
    const { id: workflowId } = await running.call('workflows.save', { workflow: workflowOf([shellStep(1, 'true')], 'nightly') });
    await running.call('schedules.add', { workflowId, name: 'hourly', cron: '0 * * * *', timeZone: 'UTC', catchUp: true });
    await running.call('schedules.add', { workflowId, name: 'hourly, no catch-up', cron: '0 * * * *', timeZone: 'UTC', catchUp: false });

    // The schedule's claim (a write) is refused at each pass while the lock is held: its time, 02:00, and a minute on twice.
    other.hold();
    clock.advance(90_000);
    clock.advance(60_000);
    clock.advance(60_000);
    other.release();
    const passes = said(logged, 'schedules:');
    expect(passes).toEqual([`photon: schedules: ${heldLockMessage(file, 'the schedules are looked at again within a minute')}`]);
    expect(await running.call('runs.list', { workflowId })).toEqual([]);

    clock.advance(60_000);
    const [run] = await waitForValue(async () => {
      const runs = await running.call('runs.list', { workflowId });
      return runs.length > 0 ? runs : undefined;
    }, 'the run the schedule started once the lock was let go');
    expect(await running.waitForRun(run!.runId)).toBe('succeeded');
    clock.advance(60_000);
    expect((await running.call('runs.list', { workflowId })).map((r) => r.runId)).toEqual([run!.runId]);
    const byName = new Map((await running.call('schedules.list', { workflowId })).map((schedule) => [schedule.name, schedule]));
    expect(byName.get('hourly')).toMatchObject({ lastRunId: run!.runId, nextFireAt: '2026-03-02T03:00:00.000Z' });
    expect(byName.get('hourly, no catch-up')).toMatchObject({ lastRunId: null, nextFireAt: '2026-03-02T03:00:00.000Z' });
    expect(said(logged, 'no catch-up')).toEqual(['photon: schedule "hourly, no catch-up" of nightly: 2026-03-02T02:00:00.000Z passed while Photon could not write its history; not run (catch-up is off)']);
  });
});
