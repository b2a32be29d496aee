import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressIntervalMs } from '../../../electron/engine/runs/fan-out-step.js';
import type { ItemCounts } from '../../../shared/runs.js';
import { hangupImmuneJob, holdsPid, isDead, maxOverlap, readInterval, readPid, runToEnd, shellStep, stepOf, useSandbox, waitUntil, workflowOf } from '../helpers.js';
import { markedProcesses } from './marked-processes.js';

const sandbox = useSandbox('fan-out');

const read = (file: string) => readFileSync(join(sandbox.work, file), 'utf8');
const counts = (partial: Partial<ItemCounts>): ItemCounts => ({ total: 0, pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, ...partial });

describe('a fan-out step', () => {
  it('runs 20 items at most 3 at once, keeps their outputs in order, and fails for its one failing item', async () => {
    // Each item records when it ran (nanoseconds) before it prints or fails.
    const command = 'echo "start $(date +%s%N)" > mark-{{index}}; sleep 0.2; echo "end $(date +%s%N)" >> mark-{{index}}; [ {{item}} != 7 ] || exit 3; echo out-{{item}}';
    const announced: ItemCounts[] = [];
    const mismatches: string[] = [];
    sandbox.engine.on('step.updated', ({ step }) => {
      if (step.step !== 1 || !step.items) return;
      announced.push(step.items);
      // Each attempt's item is written with it, before it is announced: with no retries, every
      // attempt made is one item running or ended.
      const { running, succeeded, failed } = step.items;
      if (running + succeeded + failed !== step.attempts) mismatches.push(`${step.attempts} attempts, items ${JSON.stringify(step.items)}`);
    });
    const list = Array.from({ length: 20 }, (_, i) => i);
    const { status, detail, runId } = await runToEnd(
      sandbox,
      [shellStep(1, command, { forEach: list, maxParallel: 3 }), shellStep(2, 'touch after', { dependencies: [1] })],
      8,
    );

    expect(status).toBe('failed');
    const step = stepOf(detail, 1);
    expect(step.status).toBe('failed');
    expect(step.error).toBe('1 of 20 items failed: item 7 (exited with code 3)');
    expect(step.items).toEqual(counts({ total: 20, succeeded: 19, failed: 1 }));
    expect(step.attempts).toBe(20);
    expect(JSON.parse(step.output!)).toEqual(list.map((i) => (i === 7 ? null : `out-${i}`)));
    expect(stepOf(detail, 2)).toMatchObject({ status: 'skipped', skipped: 'dependency' });
    expect(existsSync(join(sandbox.work, 'after'))).toBe(false);

    // Never more than 3 at once, by the items' own marks and by what was announced.
    const intervals = list.map((i) => readInterval(join(sandbox.work, `mark-${i}`)));
    expect(maxOverlap(intervals)).toBeLessThanOrEqual(3);
    expect(Math.max(...announced.map((c) => c.running))).toBeLessThanOrEqual(3);
    expect(mismatches).toEqual([]);

    const { itemHistory, attemptHistory } = await sandbox.engine.call('steps.get', { runId, step: 1 });
    expect(itemHistory!.map((item) => [item.index, item.value, item.status, item.attempts])).toEqual(list.map((i) => [i, i, i === 7 ? 'failed' : 'succeeded', 1]));
    expect(itemHistory![7]!.error).toBe('exited with code 3');
    expect(attemptHistory.map((a) => a.item).sort((a, b) => a! - b!)).toEqual(list);
    expect(attemptHistory.find((a) => a.item === 7)).toMatchObject({ status: 'failed', exitCode: 3 });
  });

  it('takes its list from an ancestor\'s JSON output, and its own output is JSON for templates and conditions', async () => {
    const report = `printf '%s' '{"files": [{"name": "a.ts"}, {"name": "b.ts"}, {"name": "c.ts"}]}'`;
    const { status, detail } = await runToEnd(sandbox, [
      shellStep(1, report, { output: 'json' }),
      shellStep(2, `printf '{"file": "%s", "at": %s, "first": "%s"}' '{{item.name}}' '{{index}}' '{{steps.1.json.files.0.name}}'`, {
        dependencies: [1],
        forEach: '{{steps.1.json.files}}',
        output: 'json',
        maxParallel: 2,
      }),
      shellStep(3, `printf '%s|%s' '{{steps.2.json.2.file}}' '{{steps.2.json}}' > used`, { dependencies: [2], when: 'steps.2.json[1].at == 1' }),
      // Not a list: the step fails, saying where it looked and what it found.
      shellStep(4, 'touch never', { dependencies: [1], forEach: '{{steps.1.json.files.0}}' }),
    ]);
    expect(status).toBe('failed');
    const items = [
      { file: 'a.ts', at: 0, first: 'a.ts' },
      { file: 'b.ts', at: 1, first: 'a.ts' },
      { file: 'c.ts', at: 2, first: 'a.ts' },
    ];
    expect(JSON.parse(stepOf(detail, 2).output!)).toEqual(items);
    expect(read('used')).toBe(`c.ts|${JSON.stringify(items)}`);
    expect(stepOf(detail, 4)).toMatchObject({ status: 'failed', attempts: 0, error: 'forEach "{{steps.1.json.files.0}}": an object at "files.0" of step 1\'s output, not a list' });
    expect(existsSync(join(sandbox.work, 'never'))).toBe(false);
  });

  it('with continueOnFailure, runs its dependents with null for the failed items', async () => {
    const { status, detail } = await runToEnd(sandbox, [
      shellStep(1, '[ {{item}} != b ] || exit 1; echo ok-{{item}}', { forEach: ['a', 'b', 'c'], continueOnFailure: true }),
      shellStep(2, `printf '%s' '{{steps.1.output}}' > got`, { dependencies: [1] }),
    ]);
    // The failure is still the step's and the run's; its dependents run with what it made.
    expect(status).toBe('failed');
    expect(stepOf(detail, 1)).toMatchObject({ status: 'failed', items: counts({ total: 3, succeeded: 2, failed: 1 }) });
    expect(stepOf(detail, 2).status).toBe('succeeded');
    expect(JSON.parse(read('got'))).toEqual(['ok-a', null, 'ok-c']);
  });

  it('retries an item by its own policy, its timeout per attempt, and the others run once', async () => {
    // Item 1 hangs on its first attempt (timed out) and succeeds on its second.
    const command = '[ {{index}} != 1 ] || [ -e tried ] || { touch tried; sleep 60; }; echo done-{{index}}';
    const { runId, status, detail } = await runToEnd(sandbox, [
      shellStep(1, command, { forEach: ['x', 'y', 'z'], timeout: 4000, retryPolicy: { maxAttempts: 2, initialIntervalMs: 10 } }),
    ]);
    expect(status).toBe('succeeded');
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', attempts: 4, items: counts({ total: 3, succeeded: 3 }) });
    expect(JSON.parse(stepOf(detail, 1).output!)).toEqual(['done-0', 'done-1', 'done-2']);
    const { itemHistory, attemptHistory } = await sandbox.engine.call('steps.get', { runId, step: 1 });
    expect(itemHistory!.map((i) => i.attempts)).toEqual([1, 2, 1]);
    expect(attemptHistory.filter((a) => a.item === 1).map((a) => a.status)).toEqual(['timed_out', 'succeeded']);
  });

  it('resumed, runs again only its items that failed; resumed with a changed definition, all of them', async () => {
    const ran = () => read('ran').trim().split('\n').sort();
    const version = (v: string) => [shellStep(1, `echo {{item}} >> ran; [ {{item}} != b ] || [ -e fixed ] || exit 1; echo ${v}-{{item}}`, { forEach: ['a', 'b', 'c'] })];
    const { id: workflowId } = await sandbox.engine.call('workflows.save', { workflow: workflowOf(version('v1')) });
    const failedRun = async () => {
      const { runId } = await sandbox.engine.call('runs.start', { workflowId, baseDir: sandbox.work });
      expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
      return runId;
    };

    const first = await failedRun();
    writeFileSync(join(sandbox.work, 'fixed'), '');
    await sandbox.engine.call('runs.resume', { runId: first });
    expect(await sandbox.engine.waitForRun(first)).toBe('succeeded');
    expect(ran()).toEqual(['a', 'b', 'b', 'c']);
    expect(JSON.parse(stepOf(await sandbox.engine.call('runs.get', { runId: first }), 1).output!)).toEqual(['v1-a', 'v1-b', 'v1-c']);

    rmSync(join(sandbox.work, 'fixed'));
    rmSync(join(sandbox.work, 'ran'));
    const second = await failedRun();
    writeFileSync(join(sandbox.work, 'fixed'), '');
    await sandbox.engine.call('workflows.save', { id: workflowId, workflow: workflowOf(version('v2')) });
    await sandbox.engine.call('runs.resume', { runId: second, definition: 'saved' });
    expect(await sandbox.engine.waitForRun(second)).toBe('succeeded');
    expect(ran()).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
    expect(JSON.parse(stepOf(await sandbox.engine.call('runs.get', { runId: second }), 1).output!)).toEqual(['v2-a', 'v2-b', 'v2-c']);
  });

  it('is cancelled with every item\'s process stopped and no process of the run left', async () => {
    const { runId } = await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      workflow: workflowOf([shellStep(1, `echo $$ > pid-{{index}}; ${hangupImmuneJob('bg-{{index}}')} sleep 300`, { forEach: [0, 1, 2, 3, 4], maxParallel: 2 })]),
    });
    const files = ['pid-0', 'pid-1', 'bg-0', 'bg-1'];
    await waitUntil(() => files.every((f) => holdsPid(join(sandbox.work, f))), 'two items to start', 20_000);
    expect(await sandbox.engine.call('runs.cancel', { runId })).toEqual({ cancelled: true });
    expect(await sandbox.engine.waitForRun(runId)).toBe('cancelled');
    for (const file of files) expect(isDead(readPid(join(sandbox.work, file)))).toBe(true);
    expect(markedProcesses(runId)).toEqual([]);
    // Only the two that were running ever started.
    expect(readdirSync(sandbox.work).filter((f) => f.startsWith('pid-')).sort()).toEqual(['pid-0', 'pid-1']);
    const step = stepOf(await sandbox.engine.call('runs.get', { runId }), 1);
    expect(step).toMatchObject({ status: 'cancelled', attempts: 2, items: counts({ total: 5, cancelled: 5 }) });
  });

  it('cancelled while it waits for a slot, cancels its items too', async () => {
    const { runId } = await sandbox.engine.call('runs.start', {
      baseDir: sandbox.work,
      concurrency: 1,
      workflow: workflowOf([shellStep(1, 'echo $$ > busy; sleep 300'), shellStep(2, 'touch never-{{index}}', { forEach: ['a', 'b', 'c'] })]),
    });
    await waitUntil(() => holdsPid(join(sandbox.work, 'busy')), 'step 1 to take the only slot', 20_000);
    expect(await sandbox.engine.call('runs.cancel', { runId })).toEqual({ cancelled: true });
    expect(await sandbox.engine.waitForRun(runId)).toBe('cancelled');
    const step = stepOf(await sandbox.engine.call('runs.get', { runId }), 2);
    expect(step).toMatchObject({ status: 'cancelled', attempts: 0, items: counts({ total: 3, cancelled: 3 }) });
    expect(readdirSync(sandbox.work).filter((f) => f.startsWith('never-'))).toEqual([]);
  });

  it('of many items, announces its progress at most every 50 ms, and its end at once', async () => {
    const seen: { at: number; status: string; succeeded: number }[] = [];
    sandbox.engine.on('step.updated', ({ step }) => {
      if (step.step === 1 && step.items) seen.push({ at: performance.now(), status: step.status, succeeded: step.items.succeeded });
    });
    const list = Array.from({ length: 150 }, (_, i) => i);
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, 'echo {{item}}', { forEach: list, maxParallel: 8 })], 8);
    expect(status).toBe('succeeded');
    expect(JSON.parse(stepOf(detail, 1).output!)).toEqual(list.map(String));
    // Every transition of 150 items would be 300 announcements; while it runs, one per 50 ms at most.
    // Counted over the time they span rather than gap by gap: each is delivered at the end of the
    // engine's turn that made it, so one delivered late shortens the gap to the next.
    const running = seen.filter((s) => s.status === 'running');
    expect(running.length).toBeGreaterThan(1);
    const spanMs = running.at(-1)!.at - running[0]!.at;
    expect(running.length).toBeLessThanOrEqual(Math.floor(spanMs / progressIntervalMs) + 3);
    expect(seen.at(-1)).toMatchObject({ status: 'succeeded', succeeded: 150 });
  });
});

