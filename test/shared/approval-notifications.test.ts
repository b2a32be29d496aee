// What both hosts say when a request comes into the approvals inbox, and the count the tray and
// the badge show (shared/notifications.ts).
import { describe, expect, it } from 'vitest';
import type { ApprovalItem } from '../../shared/approvals.js';
import { approvalRequest } from '../fixtures/approval-item.js';
import { approvalNotification, createNotificationFeed, type PhotonNotification } from '../../shared/notifications.js';

/** Step 2 of run r1, in session s1. */
const request = (id: string, over: Partial<ApprovalItem> = {}): ApprovalItem => approvalRequest(id, { sessionId: 's1', step: 2, ...over });

describe('approvalNotification', () => {
  it('names the agent, the step and what it wants to do, and opens the Approvals page', () => {
    expect(approvalNotification(request('a1'))).toEqual({
      title: 'Reviewer asks for permission',
      body: 'Step 2 wants to run npm test.',
      route: '#/approvals',
      tag: 'photon-approval-a1',
    });
  });

  it('uses the tool and the request’s own words for a standalone session’s edit', () => {
    const note = approvalNotification(request('a2', { agentName: null, runId: null, step: null, command: null, toolKind: 'edit', title: 'Edit src/app.ts' }));
    expect(note).toMatchObject({ title: 'claude-code asks for permission', body: 'A session wants to Edit src/app.ts.' });
  });

  it('leaves a pty step waiting for input to the step-waiting notification', () => {
    expect(approvalNotification(request('a3', { kind: 'input' }))).toBeNull();
  });
});

describe('the feed and the approvals inbox', () => {
  it('notifies once per request, counts what waits, and stops counting an answered one', () => {
    const shown: PhotonNotification[] = [];
    let changes = 0;
    const feed = createNotificationFeed({ since: 0, getRun: () => Promise.reject(new Error('not read')), show: (n) => shown.push(n), onCountsChanged: () => changes++ });
    feed.approvalUpdated(request('a1'));
    feed.approvalUpdated(request('a1'));
    feed.approvalUpdated(request('a2', { agentName: 'Writer' }));
    expect(shown.map((n) => n.title)).toEqual(['Reviewer asks for permission', 'Writer asks for permission']);
    expect(feed.approvalsCount).toBe(2);
    feed.approvalUpdated(request('a1', { status: 'allowed', answer: 'once', answeredBy: 'person' }));
    expect(feed.approvalsCount).toBe(1);
    expect(changes).toBe(3);
  });

  it('counts but does not interrupt when notifications are off, and a request a rule answered never shows', () => {
    const shown: PhotonNotification[] = [];
    const feed = createNotificationFeed({ since: 0, getRun: () => Promise.reject(new Error('not read')), show: (n) => shown.push(n), wanted: () => false });
    feed.approvalUpdated(request('a1'));
    feed.approvalUpdated(request('a2', { status: 'allowed', answeredBy: 'rule:r1' }));
    expect(shown).toEqual([]);
    expect(feed.approvalsCount).toBe(1);
  });

  it('leaves a pty step waiting for input out of the approvals count: the step-waiting count has it', () => {
    const feed = createNotificationFeed({ since: 0, getRun: () => Promise.reject(new Error('not read')), show: () => undefined });
    feed.approvalUpdated(request('i1', { kind: 'input', tool: 'shell' }));
    feed.seedApprovals([request('i2', { kind: 'input' })]);
    expect(feed.approvalsCount).toBe(0);
  });

  it('counts the requests waiting when the host starts without announcing them again', () => {
    const shown: PhotonNotification[] = [];
    const feed = createNotificationFeed({ since: 0, getRun: () => Promise.reject(new Error('not read')), show: (n) => shown.push(n) });
    feed.seedApprovals([request('a1'), request('a2')]);
    feed.approvalUpdated(request('a1'));
    expect(feed.approvalsCount).toBe(2);
    expect(shown).toEqual([]);
  });
});
