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
