import { describe, expect, it } from 'vitest';
import { approvalNotification, NotificationTriggers } from '../../shared/notifications.js';
import { approvalRequest } from '../fixtures/approval-item.js';

const gate = (status: 'waiting' | 'allowed') =>
  approvalRequest('g1', { kind: 'gate', status, sessionId: null, agentName: null, tool: 'approval', title: 'Deploy v2 to production?', toolKind: null, command: null, cwd: null, step: 4 });

describe('an approval gate waiting in the inbox', () => {
  it('is a notification naming the step and its message, opening the inbox', () => {
    expect(approvalNotification(gate('waiting'))).toEqual({
      title: 'A workflow waits for your approval',
      body: 'Step 4: Deploy v2 to production?',
      route: '#/approvals',
      tag: 'photon-approval-g1',
    });
  });

  it('counts among what waits for the user until it is answered', () => {
    const triggers = new NotificationTriggers();
    expect(triggers.approvalUpdated(gate('waiting'))).toEqual({ started: true, changed: true });
    expect(triggers.approvalsCount).toBe(1);
    expect(triggers.approvalUpdated(gate('allowed'))).toEqual({ started: false, changed: true });
    expect(triggers.approvalsCount).toBe(0);
  });
});
