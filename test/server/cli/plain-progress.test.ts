import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { StepState } from '../../../shared/runs.js';
import { PlainProgress } from '../../../electron/server/cli/progress/plain-progress.js';
import { StepBoard } from '../../../electron/server/cli/progress/step-board.js';

/** A pipe's reader: what was written, call by call. */
function recorder(): { out: Writable; writes: string[] } {
  const writes: string[] = [];
  const out = new Writable({ write: (chunk: Buffer, _encoding, done) => void (writes.push(chunk.toString()), done()) });
  return { out, writes };
}

const steps = 300;
const board = () => StepBoard.forNewRun({ name: 'chain', workflow: Array.from({ length: steps }, (_, i) => ({ step: i + 1, platform: 'shell', dependencies: i === 0 ? [] : [i], inputs: { command: 'true' } })) } as never);
const state = (step: number, status: StepState['status']) => ({ step, status, attempts: 1, error: null, exitCode: status === 'succeeded' ? 0 : null, startedAt: null, finishedAt: null, nextAttemptAt: null, items: null }) as unknown as StepState;

describe("photon run's lines in a pipe", () => {
  it('are written a few at a time during a burst of transitions, every one of them, in order, each after the header', async () => {
    const { out, writes } = recorder();
    const stepBoard = board();
    const view = new PlainProgress(out, stepBoard, '');
    view.started({ runId: 'r1', workflowName: 'chain', concurrency: 1, resumed: false });
    for (let step = 1; step <= steps; step++) {
      view.stepChanged(stepBoard.update(state(step, 'running'))!);
      view.stepChanged(stepBoard.update(state(step, 'succeeded'))!);
    }
    // Nothing of the burst is lost or held for long: it all arrives within the coalescing delay.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = writes.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 2 * steps);
    expect(lines[0]).toMatch(/run r1 started: chain \(300 steps, concurrency 1\)$/);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z  step 1 running\b/);
    expect(lines.at(-1)).toMatch(/  step 300 succeeded/);
    // One write for the header, then the 600 transitions in a handful (one each, before: 600).
    expect(writes.length).toBeLessThanOrEqual(5);
  });

  it('puts a note after the transitions before it, at once', () => {
    const { out, writes } = recorder();
    const stepBoard = board();
    const view = new PlainProgress(out, stepBoard, '');
    view.stepChanged(stepBoard.update(state(1, 'running'))!);
    view.note('Ctrl-C: cancelling the run and stopping its processes…');
    expect(writes.join('')).toMatch(/step 1 running.*\n.*Ctrl-C: cancelling/);
  });

  it("gives the run's duration by the engine's clock, as its steps' are, when it saw the run late; a resume's, by its own", () => {
    // A run on a server is posted before its events reach the client: the watcher saw the last 0.3 s of a 2.5 s run.
    const detail = (startedAt: string) => ({ runId: 'r1', status: 'succeeded', steps: [{ ...state(1, 'succeeded'), startedAt, finishedAt: '2026-01-01T00:00:02.500Z' }], startedAt, finishedAt: '2026-01-01T00:00:02.500Z', workspace: null }) as never;
    for (const resumed of [false, true]) {
      const { out, writes } = recorder();
      const stepBoard = board();
      const view = new PlainProgress(out, stepBoard, '');
      view.started({ runId: 'r1', workflowName: 'chain', concurrency: 1, resumed });
      view.finished(detail('2026-01-01T00:00:00.000Z'), false);
      const summary = writes.join('').trimEnd().split('\n').find((line) => line.includes('run r1 succeeded'));
      expect(summary).toMatch(resumed ? /steps in \d+ms$/ : /steps in 2\.5s$/);
    }
  });
});
