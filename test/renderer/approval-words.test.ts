import { describe, expect, it } from 'vitest';
import { answerLabel, answerRecord, batchKind, requestSentence, toggleSelection, waitingBadge, wantsText } from '../../renderer/approvals/approval-words.js';
import { waitingApprovals, withApprovals } from '../../renderer/store/approvals-slice.js';
import { withEntry, type ShownSession } from '../../renderer/store/sessions-slice.js';
import { approvalRequest } from '../fixtures/approval-item.js';

const request = approvalRequest;

describe('the approvals inbox words', () => {
  it('counts the waiting requests for the badge, and shows none when empty', () => {
    expect(waitingBadge(3)).toBe('3 waiting');
    expect(waitingBadge(0)).toBeNull();
  });

  it('says what a request wants: the command, the file, or its title', () => {
    expect(wantsText(request('a'))).toBe('run npm test');
    expect(wantsText(request('b', { command: null, toolKind: 'edit', diffs: [{ path: '/repo/src/x.ts', oldText: 'a', newText: 'b' }] }))).toBe('edit x.ts');
    expect(wantsText(request('c', { command: null, toolKind: 'fetch', title: 'Fetch https://example.com' }))).toBe('Fetch https://example.com');
  });

  it('keeps a multi-selection to one kind: choosing an edit among commands starts over', () => {
    const waiting = [request('a'), request('b'), request('c', { toolKind: 'edit', command: null })];
    let selected = toggleSelection(new Set(), 'a', waiting);
    selected = toggleSelection(selected, 'b', waiting);
    expect([...selected]).toEqual(['a', 'b']);
    selected = toggleSelection(selected, 'c', waiting);
    expect([...selected]).toEqual(['c']);
    selected = toggleSelection(selected, 'c', waiting);
    expect(selected.size).toBe(0);
    expect(batchKind(waiting[0]!)).not.toBe(batchKind(waiting[2]!));
  });

  it('drops from the selection requests that were answered elsewhere meanwhile', () => {
    const waiting = [request('a'), request('b')];
    const selected = toggleSelection(new Set(['a', 'gone']), 'b', waiting);
    expect([...selected]).toEqual(['a', 'b']);
  });

  it('records who answered: you, a rule, an earlier allow-for-this-run, the timeout', () => {
    expect(answerRecord({ status: 'allowed', answer: 'once', answeredBy: 'person', message: null })).toBe('Allowed once by you');
    expect(answerRecord({ status: 'allowed', answer: null, answeredBy: 'rule:r7', message: null })).toBe('Allowed by rule r7');
    expect(answerRecord({ status: 'allowed', answer: 'run', answeredBy: 'run:a1', message: null })).toBe('Allowed for this run by an earlier “allow for this run”');
    expect(answerRecord({ status: 'denied', answer: 'deny', answeredBy: 'person', message: 'use pnpm' })).toBe('Denied by you: “use pnpm”');
    expect(answerRecord({ status: 'allowed', answer: 'run', answeredBy: 'person', message: null, runId: null })).toBe('Allowed for this session by you');
    expect(answerLabel('run', [{ runId: null }, { runId: null }])).toBe('Allow for this session');
    expect(answerLabel('run', [{ runId: null }, { runId: 'r1' }])).toBe('Allow for this run');
    expect(answerRecord({ status: 'cancelled', answer: null, answeredBy: 'terminal', message: 'the step stopped waiting' })).toBe('Answered in its terminal');
    expect(requestSentence(request('i', { kind: 'input', title: 'Step 1 “Deploy” waits for input in its terminal' }))).toBe('Step 1 “Deploy” waits for input in its terminal');
    expect(requestSentence(request('p'))).toBe('Reviewer wants to run npm test');
    expect(answerRecord({ status: 'expired', answer: null, answeredBy: 'timeout', message: 'step timed out after 60 s' })).toBe("No answer before the step's timeout: step timed out after 60 s");
  });
});

describe('the inbox and conversations as the store holds them', () => {
  it('never puts an answered request back in the inbox from a list read before the answer', () => {
    const answered = request('a', { status: 'allowed', answer: 'once', answeredBy: 'person', answeredAt: '2026-12-05T11:00:01.000Z' });
    const held = withApprovals({}, [answered]);
    const next = withApprovals(held, [request('a'), request('b')]);
    expect(waitingApprovals(next).map((i) => i.id)).toEqual(['b']);
  });

  it('drops a waiting request that a whole list no longer holds (answered while the link was down)', () => {
    const held = withApprovals({}, [request('a'), request('b')]);
    expect(waitingApprovals(withApprovals(held, [request('b')], true)).map((i) => i.id)).toEqual(['b']);
    expect(waitingApprovals(withApprovals(held, [request('b')])).map((i) => i.id)).toEqual(['a', 'b']);
  });

  it('lists the inbox oldest first', () => {
    const held = withApprovals({}, [request('late', { createdAt: '2026-12-05T11:00:05.000Z' }), request('early', { createdAt: '2026-12-05T10:59:00.000Z' })]);
    expect(waitingApprovals(held).map((i) => i.id)).toEqual(['early', 'late']);
  });

  it('grows a streaming message in place, adds new entries, and asks for a re-read after a gap', () => {
    const info = { id: 's1', tool: 'claude-code', cwd: '/repo', status: 'working' as const, queued: [], usage: {}, startedAt: 0 };
    let session: ShownSession = { info, entries: [], stale: false };
    session = withEntry(session, 0, { type: 'message', role: 'agent', text: 'Hel', at: 1 });
    session = withEntry(session, 0, { type: 'message', role: 'agent', text: 'Hello', at: 1 });
    session = withEntry(session, 1, { type: 'turn_end', stopReason: 'end_turn', at: 2 });
    expect(session.entries).toEqual([
      { type: 'message', role: 'agent', text: 'Hello', at: 1 },
      { type: 'turn_end', stopReason: 'end_turn', at: 2 },
    ]);
    expect(session.stale).toBe(false);
    const gap = withEntry(session, 5, { type: 'notice', text: 'x', at: 3 });
    expect(gap.stale).toBe(true);
    expect(gap.entries).toHaveLength(2);
  });
});
