import { describe, expect, it } from 'vitest';
import { answersFor, batchKind, requestSentence, wantsText } from '../../renderer/approvals/approval-words.js';
import { approvalRequest } from '../fixtures/approval-item.js';

const gate = approvalRequest('g1', { kind: 'gate', sessionId: null, agentName: null, tool: 'approval', title: 'Deploy v2?', toolKind: null, command: null, cwd: null });

describe("an approval gate's words in the inbox", () => {
  it('reads as the workflow asking, with Approve / Reject only, never batched with permissions', () => {
    expect(requestSentence(gate)).toBe('Approval gate: Deploy v2?');
    expect(wantsText(gate)).toBe('Deploy v2?');
    expect(batchKind(gate)).toBe('gate');
    expect(batchKind(approvalRequest('p1', { toolKind: null }))).not.toBe('gate');
    expect(answersFor(batchKind(gate))).toEqual(['once', 'deny']);
  });
});
