import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../shared/runs.js';
import { runToEnd, shellStep, useSandbox } from '../helpers.js';

const sandbox = useSandbox('announcements');

describe("a run's summary announcements", () => {
  it('come once per burst of step transitions, each as stored, and the last one is the run as it ended', async () => {
    const summaries: RunSummary[] = [];
    let stepAnnouncements = 0;
    sandbox.engine.on('step.updated', () => void stepAnnouncements++);
    sandbox.engine.on('run.updated', (run) => void summaries.push(run));
    // Every step's end and the next step's start come together: two step announcements, one summary.
    const steps = Array.from({ length: 30 }, (_, i) => shellStep(i + 1, 'true'));
    const { runId, status, detail } = await runToEnd(sandbox, steps, 2);
    expect(status).toBe('succeeded');

    expect(stepAnnouncements).toBeGreaterThanOrEqual(60);
    expect(summaries.length).toBeLessThanOrEqual(stepAnnouncements * 0.6);
    const last = summaries.at(-1)!;
    expect(last).toMatchObject({ runId, status: 'succeeded', counts: { total: 30, succeeded: 30, running: 0, pending: 0 } });
    expect(last.finishedAt).toBe(detail.finishedAt);
    // Nothing is announced after the end.
    await new Promise((resolve) => setImmediate(resolve));
    expect(summaries.at(-1)).toBe(last);
  });
});
