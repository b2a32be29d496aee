/**
 * Schedules and webhooks while SQLite refuses a write (another program holding the write lock past
 * the busy timeout): a schedule's run that started is known as started and noted once it has
 * ended; a webhook whose run could not start tells its caller why, not that the note of the failure
 * was refused; a pass that cannot read the schedules says so once, with the clear message, and fires
 * once the file can be written again.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import { SchedulesRepository } from '../../../electron/engine/storage/schedules-repository.js';
import { isPhotonError } from '../../../shared/errors.js';
import { makeTempDir, removeDir, shellStep, startEngine, waitForValue, workflowOf } from '../helpers.js';
import { heldLockMessage, lockingConnection, refuseFirstCall, type LockingConnection } from '../sqlite-connection.js';
import { ManualClock } from './manual-clock.js';

const start = Date.parse('2026-03-02T01:58:30Z');
let root = '';
let engine: Engine | undefined;
let other: LockingConnection | undefined;

afterEach(async () => {
  other?.close();
  other = undefined;
  await engine?.close();
  engine = undefined;
  vi.restoreAllMocks();
  removeDir(root);
});

function said(logged: { mock: { calls: unknown[][] } }, about: string): string[] {
  return logged.mock.calls.map((call) => String(call[0])).filter((line) => line.includes(about));
}

describe('schedules and webhooks when the history cannot be written', () => {
  it("a schedule's started run is said once, not fired again, and noted on the schedule when it ends", async () => {
    root = makeTempDir('schedule-refused');
    const dataDir = join(root, 'data');
    const file = join(dataDir, 'photon.db');
    const logged = vi.spyOn(console, 'error');
    const clock = new ManualClock(start);
    engine = await startEngine(dataDir, { schedules: { fire: true, clock } });
    const running = engine;
    const { id: workflowId } = await running.call('workflows.save', { workflow: workflowOf([shellStep(1, `while [ ! -e '${join(root, 'go')}' ]; do sleep 0.05; done`)], 'nightly') });
    await running.call('schedules.add', { workflowId, name: 'at two', cron: '0 2 * * *', timeZone: 'UTC' });
    other = await lockingConnection(file, () => running.call('runs.list', {}));
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
    root = makeTempDir('webhook-start-refused');
    const dataDir = join(root, 'data');
    const file = join(dataDir, 'photon.db');
    const logged = vi.spyOn(console, 'error');
    engine = await startEngine(dataDir, { schedules: { fire: true } });
    const running = engine;
    // Its workspace is no git repository: the run cannot start.
    mkdirSync(join(root, 'not-a-repo'));
    const workflow = { ...workflowOf([shellStep(1, 'true')], 'deploy'), workspace: { repo: join(root, 'not-a-repo') } };
    const { id: workflowId } = await running.call('workflows.save', { workflow });
    const { trigger, secret } = await running.call('triggers.add', { kind: 'webhook', workflowId, name: 'on push' });
    other = await lockingConnection(file, () => running.call('runs.list', {}));
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
    root = makeTempDir('schedules-pass-refused');
    const dataDir = join(root, 'data');
    const file = join(dataDir, 'photon.db');
    const logged = vi.spyOn(console, 'error');
    const clock = new ManualClock(start);
    engine = await startEngine(dataDir, { schedules: { fire: true, clock } });
    const running = engine;
    const { id: workflowId } = await running.call('workflows.save', { workflow: workflowOf([shellStep(1, 'true')], 'nightly') });
    await running.call('schedules.add', { workflowId, name: 'hourly', cron: '0 * * * *', timeZone: 'UTC', catchUp: true });
    await running.call('schedules.add', { workflowId, name: 'hourly, no catch-up', cron: '0 * * * *', timeZone: 'UTC', catchUp: false });
    other = await lockingConnection(file, () => running.call('runs.list', {}));

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
