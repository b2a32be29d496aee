/**
 * A fan-out of AI steps under the engine's cap on running agents: each item holds a place of its
 * own, counted from the marks the Claude Code stand-ins write as their processes start and exit.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { maxOverlap, stepOf, type Interval } from '../helpers.js';
import { useStandInSandbox } from '../agents/stand-in-engine.js';

function lives(file: string): Interval[] {
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
    const [label, ns, pid] = line.split(' ') as [string, string, string];
    (label === 'start' ? starts : ends).set(pid, Number(BigInt(ns) / 1000n) / 1000);
  }
  return [...starts].map(([pid, start]) => ({ start, end: ends.get(pid) ?? Number.POSITIVE_INFINITY }));
}

describe('a fan-out of AI steps', () => {
  const marks = join(tmpdir(), `photon-fan-out-agents-marks-${randomUUID()}`);
  const sandbox = useStandInSandbox('fan-out-agents', { tools: ['claude'], env: { ANTHROPIC_API_KEY: 'sk-ant-test', PHOTON_STANDIN_DELAY_MS: '150', PHOTON_STANDIN_MARKS: marks }, engine: { maxAgents: 2 } });
  afterEach(() => rmSync(marks, { force: true }));

  it('runs no more items at once than the cap on running agents, each holding its own place', async () => {
    const { engine, work } = sandbox.current;
    const workflow = { name: 'reviews', workflow: [{ step: 1, platform: 'claude-code', inputs: { prompt: 'Review {{item}}' }, dependencies: [], forEach: ['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts'] }] };
    const { runId } = await engine.call('runs.start', { workflow: workflow as never, baseDir: work, concurrency: 8 });
    expect(await engine.waitForRun(runId)).toBe('succeeded');

    const processes = lives(marks);
    expect(processes).toHaveLength(5);
    expect(processes.every((p) => Number.isFinite(p.end))).toBe(true);
    expect(maxOverlap(processes)).toBeLessThanOrEqual(2);
    const step = stepOf(await engine.call('runs.get', { runId }), 1);
    expect(step.items).toMatchObject({ total: 5, succeeded: 5 });
    expect(JSON.parse(step.output!)).toHaveLength(5);
    // Every item gave its place back.
    expect(await engine.call('agents.cap', undefined)).toMatchObject({ running: 0 });
  });
});

describe('a fan-out of AI steps past a budget that fails', () => {
  const sandbox = useStandInSandbox('fan-out-budget', { tools: ['claude'], env: { ANTHROPIC_API_KEY: 'sk-ant-test' } });

  it('fails its items not yet started, naming the budget, and ends the step once the started ones did', async () => {
    const { engine, work } = sandbox.current;
    // Each stand-in run costs $0.0123: the first item spends past $0.01.
    const workflow = {
      name: 'reviews',
      budget: { costUsd: 0.01, onExceed: 'fail' },
      workflow: [{ step: 1, platform: 'claude-code', inputs: { prompt: 'Review {{item}}' }, dependencies: [], forEach: ['a.ts', 'b.ts', 'c.ts'], maxParallel: 1 }],
    };
    const { runId } = await engine.call('runs.start', { workflow: workflow as never, baseDir: work });
    expect(await engine.waitForRun(runId)).toBe('failed');
    const step = stepOf(await engine.call('runs.get', { runId }), 1);
    const why = 'the run\'s budget is reached: $0.0123 of $0.0100 spent (its onExceed is "fail")';
    expect(step).toMatchObject({ status: 'failed', attempts: 1, items: { total: 3, succeeded: 1, failed: 2 }, error: `2 of 3 items failed: item 1 (${why}), item 2 (${why})` });
    expect(JSON.parse(step.output!)[1]).toBeNull();
    expect(sandbox.current.runs().filter((r) => r.tool === 'claude')).toHaveLength(1);
  });
});
