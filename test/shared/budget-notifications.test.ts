import { describe, expect, it } from 'vitest';
import { approvalNotification, NotificationTriggers } from '../../shared/notifications.js';
import { approvalRequest } from '../fixtures/approval-item.js';

const question = (status: 'waiting' | 'denied') =>
  approvalRequest('b1', { kind: 'budget', status, sessionId: null, agentName: null, tool: 'budget', title: "The run's budget is reached: $5.02 of $5.00 spent", toolKind: null, command: null, cwd: null, step: 3 });

describe("a budget's question waiting in the inbox", () => {
  it('is a notification naming the step and the budget, opening the inbox', () => {
    expect(approvalNotification(question('waiting'))).toEqual({
      title: 'A budget is reached',
      body: "Step 3 waits: The run's budget is reached: $5.02 of $5.00 spent",
      route: '#/approvals',
      tag: 'photon-approval-b1',
    });
  });

  it('counts among what waits for the user until it is answered', () => {
    const triggers = new NotificationTriggers();
    expect(triggers.approvalUpdated(question('waiting'))).toEqual({ started: true, changed: true });
    expect(triggers.approvalsCount).toBe(1);
    expect(triggers.approvalUpdated(question('denied'))).toEqual({ started: false, changed: true });
    expect(triggers.approvalsCount).toBe(0);
  });
});
