/**
 * The engine's cap on AI agents running at once, across runs, measured from the marks the Claude
 * Code stand-ins write as their processes start and exit: never more than the cap, and a ready step
 * past it says it waits for a slot until one frees, in whichever run.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StepState } from '../../../shared/runs.js';
import { maxOverlap, startEngine, stepOf, type Interval } from '../helpers.js';
import { useStandInSandbox } from '../agents/stand-in-engine.js';

const claude = (step: number) => ({ step, platform: 'claude-code', inputs: { prompt: `Task ${step}` }, dependencies: [] as number[] });

/** Each stand-in process's life, from the marks it wrote (monotonic nanoseconds, in milliseconds). */
function lives(file: string): Interval[] {
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
    const [label, ns, pid] = line.split(' ') as [string, string, string];
    (label === 'start' ? starts : ends).set(pid, Number(BigInt(ns) / 1000n) / 1000);
  }
  return [...starts].map(([pid, start]) => ({ start, end: ends.get(pid) ?? Number.POSITIVE_INFINITY }));
}

describe('the cap on running AI agents', () => {
  const marks = join(tmpdir(), `photon-agent-cap-marks-${randomUUID()}`);
  // Each stand-in streams for about a second, so the runs' six steps are all ready together.
  const sandbox = useStandInSandbox('agent-cap', { tools: ['claude'], env: { ANTHROPIC_API_KEY: 'sk-ant-test', PHOTON_STANDIN_DELAY_MS: '150', PHOTON_STANDIN_MARKS: marks }, engine: { maxAgents: 2 } });
  afterEach(() => rmSync(marks, { force: true }));

  it('holds AI steps of two runs to N processes at once; the steps past it wait for a slot and then run', async () => {
    const { engine, work } = sandbox.current;
    const waited = new Map<string, Set<number>>();
    const off = engine.on('step.updated', ({ runId, step }: { runId: string; step: StepState }) => {
      if (step.waitingFor === 'agent-cap') waited.set(runId, (waited.get(runId) ?? new Set()).add(step.step));
    });
    const workflow = (name: string) => ({ name, workflow: [1, 2, 3].map(claude) });
    const { runId: a } = await engine.call('runs.start', { workflow: workflow('a') as never, baseDir: work, concurrency: 4 });
    const { runId: b } = await engine.call('runs.start', { workflow: workflow('b') as never, baseDir: work, concurrency: 4 });
    expect(await engine.waitForRun(a)).toBe('succeeded');
    expect(await engine.waitForRun(b)).toBe('succeeded');
    off();

    const processes = lives(marks);
    expect(processes).toHaveLength(6);
    expect(processes.every((p) => Number.isFinite(p.end))).toBe(true);
    expect(maxOverlap(processes)).toBeLessThanOrEqual(2);
    // Four of the six were ready while two ran: each said why it waited.
    expect([...waited.values()].reduce((n, steps) => n + steps.size, 0)).toBeGreaterThanOrEqual(4);
    for (const runId of [a, b]) for (const n of [1, 2, 3]) expect(stepOf(await engine.call('runs.get', { runId }), n).waitingFor).toBeUndefined();
    expect(await engine.call('agents.cap', undefined)).toMatchObject({ maxAgents: 2, source: 'engine', running: 0 });
  });
});

describe('a cap raised while steps wait', () => {
  const sandbox = useStandInSandbox('agent-cap-raised', { tools: ['claude'], env: { ANTHROPIC_API_KEY: 'sk-ant-test' } });

  it('lets them start at once, without waiting for a running agent to end', async () => {
    const { engine, work } = sandbox.current;
    await engine.call('agents.setCap', { maxAgents: 1 });
    // Step 1 never ends by itself: only the raised cap can let step 2 start.
    const workflow = { name: 'raised', workflow: [{ ...claude(1), inputs: { prompt: 'Wait [[standin:hang]]' } }, claude(2)] };
    const { runId } = await engine.call('runs.start', { workflow: workflow as never, baseDir: work, concurrency: 4 });
    await expect.poll(async () => (await engine.call('runs.get', { runId })).steps.map((s) => [s.status, s.waitingFor ?? null]), { timeout: 30_000 }).toEqual([
      ['running', null],
      ['pending', 'agent-cap'],
    ]);
    expect(await engine.call('agents.setCap', { maxAgents: 2 })).toMatchObject({ maxAgents: 2, running: 1 });
    await expect.poll(async () => stepOf(await engine.call('runs.get', { runId }), 2).status, { timeout: 30_000 }).toBe('succeeded');
    expect(stepOf(await engine.call('runs.get', { runId }), 1).status).toBe('running');
    await engine.call('runs.cancel', { runId });
  });
});

describe('the saved cap', () => {
  const sandbox = useStandInSandbox('agent-cap-saved', { tools: ['claude'] });

  it('is the CPU cores until saved; a saved one is kept across restarts, and refused out of range naming the field', async () => {
    const { engine, dataDir } = sandbox.current;
    const first = await engine.call('agents.cap', undefined);
    expect(first).toMatchObject({ source: 'default', saved: null });
    expect(first.maxAgents).toBe(first.defaultMaxAgents);
    expect(await engine.call('agents.setCap', { maxAgents: 3 })).toMatchObject({ maxAgents: 3, source: 'saved', saved: 3 });
    await expect(engine.call('agents.setCap', { maxAgents: 0 })).rejects.toThrow(/maxAgents/);

    const again = await startEngine(dataDir);
    try {
      expect(await again.call('agents.cap', undefined)).toMatchObject({ maxAgents: 3, source: 'saved' });
      expect(await again.call('agents.setCap', { maxAgents: null })).toMatchObject({ source: 'default', saved: null, maxAgents: first.defaultMaxAgents });
    } finally {
      await again.close();
    }
    // An engine started with its own cap (--max-agents) uses it, whatever is saved.
    const own = await startEngine(dataDir, { maxAgents: 5 });
    try {
      expect(await own.call('agents.cap', undefined)).toMatchObject({ maxAgents: 5, source: 'engine' });
    } finally {
      await own.close();
    }
  });
});
