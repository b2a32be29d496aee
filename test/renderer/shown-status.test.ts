import { describe, expect, it } from 'vitest';
import { shownAttemptStatus, shownStepStatus } from '../../renderer/lib/shown-status.js';

describe('the status a step or attempt is shown with', () => {
  it('says Interrupted for a step of an interrupted run that had started, and leaves the rest as they are', () => {
    expect(shownStepStatus('interrupted', { status: 'pending', attempts: 1 })).toBe('interrupted');
    expect(shownStepStatus('interrupted', { status: 'pending', attempts: 0 })).toBe('pending');
    expect(shownStepStatus('interrupted', { status: 'succeeded', attempts: 1 })).toBe('succeeded');
    expect(shownStepStatus('running', { status: 'pending', attempts: 1 })).toBe('pending');
  });

  it('says Interrupted for an attempt Photon cut short, Cancelled for one the user cancelled', () => {
    expect(shownAttemptStatus({ status: 'cancelled', error: 'interrupted: Photon stopped during this attempt' })).toBe('interrupted');
    expect(shownAttemptStatus({ status: 'cancelled', error: 'cancelled' })).toBe('cancelled');
    expect(shownAttemptStatus({ status: 'failed', error: 'interrupted by signal' })).toBe('failed');
  });
});
