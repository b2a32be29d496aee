import { describe, expect, it } from 'vitest';
import { runToEnd, shellStep, stepOf, useSandbox } from '../helpers.js';

const sandbox = useSandbox('exit');

describe('exit status', () => {
  it('reports success for commands that close their terminal before exiting', async () => {
    // The shell execs `touch`, which closes its stdio before it exits: the terminal loses its far
    // side while the step's leader still runs. That must not turn into a SIGHUP and a failure.
    const steps = [1, 2, 3, 4, 5, 6].map((n) => shellStep(n, `sleep 0.3; touch done-${n}`));
    const { status, detail } = await runToEnd(sandbox, steps, 6);
    expect(detail.steps.map((s) => [s.step, s.status, s.exitCode, s.error])).toEqual(steps.map((s) => [s.step, 'succeeded', 0, null]));
    expect(status).toBe('succeeded');
  });

  it('records the exit code of a failing command and the signal that killed one', async () => {
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, 'exit 42'), shellStep(2, 'kill -TERM $$')]);
    expect(status).toBe('failed');
    expect(stepOf(detail, 1)).toMatchObject({ status: 'failed', exitCode: 42, error: 'exited with code 42' });
    expect(stepOf(detail, 2)).toMatchObject({ status: 'failed', exitCode: null, error: 'killed by SIGTERM' });
  });
});
