import { describe, expect, it } from 'vitest';
import type { RunDetail } from '../../shared/runs.js';
import type { WorkflowStep } from '../../shared/workflow.js';
import { savedDifference } from '../../renderer/lib/resume-choice.js';
import { runDetail, savedWorkflow, stepState } from './fixtures.js';

// As a file writes it: defaults such as continueOnFailure left out.
const step = (n: number, command: string, dependencies: number[] = []) => ({ step: n, platform: 'shell', inputs: { command }, dependencies }) as unknown as WorkflowStep;

// 1 -> 2 -> 3, with 1 succeeded and 2 failed.
function failedRun(): RunDetail {
  const run = runDetail('r1', '2026-01-01T00:00:00.000Z', [
    stepState(1, { status: 'succeeded', attempts: 1 }),
    stepState(2, { status: 'failed', attempts: 1 }),
    stepState(3, { status: 'skipped' }),
  ]);
  return { ...run, status: 'failed', workflow: { name: 'W', workflow: [step(1, 'echo a'), step(2, 'exit 1', [1]), step(3, 'true', [2])] } };
}

function saved(steps: WorkflowStep[]) {
  const base = savedWorkflow('w1');
  return { ...base, workflow: { name: 'W', workflow: steps } };
}

describe('how the saved workflow differs from a run', () => {
  it('says nothing when only defaults written out differ', () => {
    const run = failedRun();
    const same = run.workflow.workflow.map((s) => ({ ...s, continueOnFailure: false, dependencies: [...s.dependencies] }));
    expect(savedDifference(run, saved(same))).toBeNull();
  });

  it('names the changed step and keeps unchanged succeeded steps', () => {
    const difference = savedDifference(failedRun(), saved([step(1, 'echo a'), step(2, 'echo fixed', [1]), step(3, 'true', [2])]));
    expect(difference).toMatchObject({ summary: 'step 2 changed', usable: true });
    expect(difference?.detail).toContain('Succeeded steps keep their outputs.');
  });

  it('says which succeeded steps run again because they or an ancestor changed, and what was added', () => {
    const difference = savedDifference(failedRun(), saved([step(1, 'echo b'), step(2, 'exit 1', [1]), step(3, 'true', [2]), step(4, 'true', [1])]));
    expect(difference?.summary).toBe('step 1 changed; step 4 added');
    expect(difference?.detail).toContain('except step 1, which run again');
  });

  it('cannot resume as saved when a step that ran was removed', () => {
    const difference = savedDifference(failedRun(), saved([step(1, 'echo a')]));
    expect(difference).toMatchObject({ summary: 'steps 2 and 3 removed', usable: false });
    expect(difference?.detail).toContain('no longer has step 2, which ran here');
  });

  it('offers nothing for a run of another workflow or one started from a file', () => {
    expect(savedDifference({ ...failedRun(), workflowId: null }, saved([step(1, 'x')]))).toBeNull();
    expect(savedDifference(failedRun(), { ...saved([step(1, 'x')]), id: 'other' })).toBeNull();
  });
});
