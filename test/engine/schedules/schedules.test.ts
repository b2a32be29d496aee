/**
 * Cron schedules fired by the engine against real SQLite, with a clock the test moves: a time
 * reached fires one run that says which schedule started it; a time missed while no engine ran is
 * run once at the next start or skipped, as each schedule chose; bad expressions and zones are
 * refused naming the field.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import { schedulerLockFileName } from '../../../electron/engine/schedules/index.js';
import { processIdentity } from '../../../electron/engine/terminals/index.js';
import { isPhotonError } from '../../../shared/errors.js';
import type { RunSummary } from '../../../shared/runs.js';
import { makeTempDir, removeDir, shellStep, startEngine, workflowOf } from '../helpers.js';
import { ManualClock } from './manual-clock.js';

const start = Date.parse('2026-03-02T01:58:30Z');
let root = '';
let dataDir = '';
let engines: Engine[] = [];

beforeEach(() => {
  root = makeTempDir('schedules');
  dataDir = join(root, 'data');
  mkdirSync(join(root, 'work'));
  engines = [];
});
afterEach(async () => {
  for (const engine of engines) await engine.close();
  removeDir(root);
});

async function engineWith(clock: ManualClock): Promise<Engine> {
  const engine = await startEngine(dataDir, { schedules: { fire: true, clock } });
  engines.push(engine);
  return engine;
}

async function savedWorkflow(engine: Engine, name = 'nightly'): Promise<string> {
  return (await engine.call('workflows.save', { workflow: workflowOf([shellStep(1, `echo ran >> ${join(root, 'work', 'evidence')}`)], name) })).id;
}

async function runs(engine: Engine): Promise<RunSummary[]> {
  return engine.call('runs.list', {});
}

/** The runs once the first has been written: a schedule starts its run just after its time is claimed. */
async function runsStarted(engine: Engine): Promise<RunSummary[]> {
  let found: RunSummary[] = [];
  await waitUntilAsync(async () => (found = await runs(engine)).length > 0, 'a run started by a schedule');
  return found;
}

async function waitUntilAsync(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isPhotonError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('cron schedules', () => {
  it('fire when the clock reaches their time, once, saying which schedule started the run', async () => {
    const clock = new ManualClock(start);
    const engine = await engineWith(clock);
    const workflowId = await savedWorkflow(engine);
    const schedule = await engine.call('schedules.add', { workflowId, name: 'at two', cron: '0 2 * * *', timeZone: 'UTC' });
    expect(schedule).toMatchObject({ workflowName: 'nightly', enabled: true, catchUp: false, nextFireAt: '2026-03-02T02:00:00.000Z' });

    clock.advance(60_000);
    expect(await runs(engine)).toEqual([]);

    clock.advance(60_000);
    const started = await runsStarted(engine);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ workflowId, trigger: { kind: 'schedule', name: 'at two' } });
    expect(await engine.waitForRun(started[0]!.runId)).toBe('succeeded');

    const [after] = await engine.call('schedules.list', { workflowId });
    expect(after).toMatchObject({ nextFireAt: '2026-03-03T02:00:00.000Z', lastFiredAt: '2026-03-02T02:00:00.000Z', lastRunId: started[0]!.runId, lastError: null });
    // Another day later, and not before: one run per time.
    clock.advance(23 * 3_600_000);
    expect(await runs(engine)).toHaveLength(1);
  });

  it('reads the hours in the schedule\'s own time zone', async () => {
    const clock = new ManualClock(start);
    const engine = await engineWith(clock);
    const workflowId = await savedWorkflow(engine);
    // 02:00 in Paris is 01:00 UTC in winter (the next one is March 3rd's) and 00:00 UTC in summer.
    expect((await engine.call('schedules.add', { workflowId, name: 'paris', cron: '0 2 * * *', timeZone: 'Europe/Paris' })).nextFireAt).toBe('2026-03-03T01:00:00.000Z');
    clock.set(Date.parse('2026-07-01T12:00:00Z'));
    expect((await engine.call('schedules.add', { workflowId, name: 'paris summer', cron: '0 2 * * *', timeZone: 'Europe/Paris' })).nextFireAt).toBe('2026-07-02T00:00:00.000Z');
  });

  it('a time missed while Photon was not running runs once at the next start with catch-up on, and not at all with it off', async () => {
    const clock = new ManualClock(start);
    const first = await engineWith(clock);
    const workflowId = await savedWorkflow(first);
    const caught = await first.call('schedules.add', { workflowId, name: 'caught up', cron: '0 * * * *', timeZone: 'UTC', catchUp: true });
    const skipped = await first.call('schedules.add', { workflowId, name: 'skipped', cron: '30 * * * *', timeZone: 'UTC', catchUp: false });
    await first.close();
    engines = [];

    // Five hours off: five of each schedule's times passed.
    clock.set(start + 5 * 3_600_000);
    const second = await engineWith(clock);
    const started = await runsStarted(second);
    expect(await second.waitForRun(started[0]!.runId)).toBe('succeeded');
    const all = await runs(second);
    expect(all).toHaveLength(1);
    expect(all[0]!.trigger).toEqual({ kind: 'schedule', name: 'caught up' });

    const now = new Date(clock.now()).toISOString();
    const byName = new Map((await second.call('schedules.list', {})).map((s) => [s.name, s]));
    expect(byName.get('caught up')).toMatchObject({ id: caught.id, lastFiredAt: now, lastRunId: all[0]!.runId, nextFireAt: '2026-03-02T07:00:00.000Z' });
    // Skipped: moved on to its next time after now, never fired.
    expect(byName.get('skipped')).toMatchObject({ id: skipped.id, lastFiredAt: null, lastRunId: null, nextFireAt: '2026-03-02T07:30:00.000Z' });
  });

  it('a time that passed just before the engine started counts as missed too: skipped with catch-up off', async () => {
    const clock = new ManualClock(start);
    const first = await engineWith(clock);
    const workflowId = await savedWorkflow(first);
    await first.call('schedules.add', { workflowId, name: 'at two', cron: '0 2 * * *', timeZone: 'UTC' });
    await first.close();
    engines = [];
    // Thirty seconds after its time, well within the lateness a running engine forgives.
    clock.set(Date.parse('2026-03-02T02:00:30Z'));
    const second = await engineWith(clock);
    const [schedule] = await second.call('schedules.list', {});
    expect(schedule).toMatchObject({ nextFireAt: '2026-03-03T02:00:00.000Z', lastFiredAt: null });
    expect(await runs(second)).toEqual([]);
  });

  it('two engines on one data folder start a time once', async () => {
    const clock = new ManualClock(start);
    const one = await engineWith(clock);
    const two = await engineWith(clock);
    const workflowId = await savedWorkflow(one);
    await one.call('schedules.add', { workflowId, name: 'at two', cron: '0 2 * * *', timeZone: 'UTC' });
    // Both look at every change within their poll: the second sees it at its next pass.
    clock.advance(120_000);
    const started = await runsStarted(one);
    expect(await one.waitForRun(started[0]!.runId)).toBe('succeeded');
    expect(await runs(two)).toHaveLength(1);
  });

  it('another engine holding the data folder fires instead; once it is gone this one takes over without skipping its last minute', async () => {
    // Another process holds the scheduler lock, as the desktop app would.
    const holder = spawn('sleep', ['600'], { stdio: 'ignore' });
    try {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, schedulerLockFileName), processIdentity(holder.pid!));
      const clock = new ManualClock(start);
      const engine = await engineWith(clock);
      const workflowId = await savedWorkflow(engine);
      await engine.call('schedules.add', { workflowId, name: 'at two', cron: '0 2 * * *', timeZone: 'UTC', catchUp: false });
      clock.advance(60_000);
      // 02:00 passed, but it is the other engine's to fire.
      expect(await runs(engine)).toEqual([]);
      expect((await engine.call('schedules.list', {}))[0]!.lastFiredAt).toBeNull();

      holder.kill('SIGKILL');
      await new Promise((done) => holder.once('exit', done));
      // This engine's next look finds the lock free and the time a minute late: an engine was
      // running when it passed, so it is run, not skipped as missed.
      clock.advance(60_000);
      const [run] = await runsStarted(engine);
      expect(run!.trigger).toEqual({ kind: 'schedule', name: 'at two' });
      expect(readFileSync(join(dataDir, schedulerLockFileName), 'utf8')).toBe(processIdentity(process.pid));
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('a disabled schedule does not fire, and switched on again starts from now (its time off is not missed)', async () => {
    const clock = new ManualClock(start);
    const engine = await engineWith(clock);
    const workflowId = await savedWorkflow(engine);
    const schedule = await engine.call('schedules.add', { workflowId, name: 'often', cron: '*/10 * * * *', timeZone: 'UTC', catchUp: true });
    expect((await engine.call('schedules.setEnabled', { id: schedule.id, enabled: false })).nextFireAt).toBeNull();
    clock.advance(3_600_000);
    expect(await runs(engine)).toEqual([]);
    const on = await engine.call('schedules.setEnabled', { id: schedule.id, enabled: true });
    expect(on.nextFireAt).toBe('2026-03-02T03:00:00.000Z');
    expect(await runs(engine)).toEqual([]);
    expect(await engine.call('schedules.remove', { id: schedule.id })).toEqual({ removed: true });
    expect(await engine.call('schedules.list', { workflowId })).toEqual([]);
  });

  it('refuses a bad cron expression, an unknown time zone, a taken name and an unknown workflow, saying what to fix', async () => {
    const clock = new ManualClock(start);
    const engine = await engineWith(clock);
    const workflowId = await savedWorkflow(engine);

    const minute = await refusal(engine.call('schedules.add', { workflowId, name: 'bad', cron: '61 * * * *', timeZone: 'UTC' }));
    expect(minute.code).toBe('invalid');
    expect(minute.message).toContain('cron "61 * * * *" is not valid');
    expect(minute.message).toContain('minute');
    expect(minute.message).toContain('"0 2 * * *"');

    // Five fields or six, as documented; croner would read a seventh as the year.
    for (const [cron, fields] of [['* * * * * * *', 7], ['0 2 * *', 4]] as const) {
      expect((await refusal(engine.call('schedules.add', { workflowId, name: 'bad', cron, timeZone: 'UTC' }))).message).toContain(`cron "${cron}" has ${fields} fields; write five fields`);
    }

    const never = await refusal(engine.call('schedules.add', { workflowId, name: 'bad', cron: '0 0 30 2 *', timeZone: 'UTC' }));
    expect(never.message).toContain('never fires');

    const zone = await refusal(engine.call('schedules.add', { workflowId, name: 'bad', cron: '0 2 * * *', timeZone: 'Mars/Olympus_Mons' }));
    expect(zone).toEqual({ code: 'invalid', message: expect.stringContaining('time zone "Mars/Olympus_Mons" is not an IANA time zone name; use one such as Europe/Paris') });

    await engine.call('schedules.add', { workflowId, name: 'taken', cron: '0 2 * * *', timeZone: 'UTC' });
    expect((await refusal(engine.call('schedules.add', { workflowId, name: 'taken', cron: '0 3 * * *', timeZone: 'UTC' }))).code).toBe('conflict');
    expect((await refusal(engine.call('schedules.add', { workflowId: 'nope', name: 'x', cron: '0 3 * * *', timeZone: 'UTC' }))).code).toBe('not_found');
    // Nothing refused was kept.
    expect((await engine.call('schedules.list', { workflowId })).map((s) => s.name)).toEqual(['taken']);
  });

  it('go with their workflow when it is deleted', async () => {
    const engine = await engineWith(new ManualClock(start));
    const workflowId = await savedWorkflow(engine);
    await engine.call('schedules.add', { workflowId, name: 'daily', cron: '0 2 * * *', timeZone: 'UTC' });
    await engine.call('workflows.delete', { id: workflowId });
    expect(await engine.call('schedules.list', {})).toEqual([]);
  });
});
