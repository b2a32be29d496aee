import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy, retryDelayMs, retryPolicyOf, stepSchema, stepTitle } from '../../shared/workflow.js';

const policy = { maxAttempts: 6, initialIntervalMs: 100, backoffCoefficient: 3, maxIntervalMs: 2000, nonRetryableExitCodes: [] };

describe('retryDelayMs', () => {
  it('is min(initial x coefficient^(attempt-1), max)', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(policy, attempt))).toEqual([100, 300, 900, 2000, 2000]);
  });

  it('stays at the initial interval with a coefficient of 1', () => {
    expect(retryDelayMs({ ...policy, backoffCoefficient: 1 }, 4)).toBe(100);
  });
});

describe('steps', () => {
  it('get one attempt when they name no retry policy', () => {
    const step = stepSchema.parse({ step: 1, platform: 'shell', inputs: { command: 'true' } });
    expect(retryPolicyOf(step)).toEqual(defaultRetryPolicy);
    expect(defaultRetryPolicy.maxAttempts).toBe(1);
  });

  it('are titled by label, then action, then number', () => {
    const base = { step: 3, platform: 'shell' };
    expect(stepTitle(stepSchema.parse({ ...base, label: 'Build', action: 'run' }))).toBe('Build');
    expect(stepTitle(stepSchema.parse({ ...base, label: ' ', action: 'run' }))).toBe('run');
    expect(stepTitle(stepSchema.parse(base))).toBe('Step 3');
  });
});
