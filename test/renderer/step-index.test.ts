import { describe, expect, it } from 'vitest';
import { stepRequests, stepSessionId } from '../../renderer/sessions/step-index.js';
import { withApprovals } from '../../renderer/store/approvals-slice.js';
import type { ShownSession } from '../../renderer/store/sessions-slice.js';
import type { ApprovalItem } from '../../shared/approvals.js';

const item = (id: string, runId: string | null, step: number | null, createdAt: string): ApprovalItem => ({
  id,
  kind: 'permission',
  status: 'waiting',
  sessionId: null,
  runId,
  step,
  agentName: null,
  tool: 'claude-code',
  title: `Request ${id}`,
  toolKind: 'execute',
  command: 'ls',
  diffs: [],
  cwd: null,
  createdAt,
  answer: null,
  answeredBy: null,
  answeredAt: null,
  message: null,
});

const session = (id: string, runId: string | undefined, stepId: string | undefined, startedAt: number): ShownSession => ({
  info: { id, tool: 'claude-code', cwd: '/w', status: 'idle', queued: [], usage: {}, startedAt, runId, stepId },
  entries: [],
  stale: false,
});

describe('a run step’s requests and session', () => {
  it('lists a step’s own requests oldest first, and the same list while nothing changed', () => {
    const byId = withApprovals({}, [item('b', 'r1', 2, '2026-01-01T00:00:02Z'), item('a', 'r1', 2, '2026-01-01T00:00:01Z'), item('c', 'r1', 3, '2026-01-01T00:00:00Z'), item('d', null, null, '2026-01-01T00:00:00Z')]);
    const first = stepRequests(byId, 'r1', 2);
    expect(first.map((i) => i.id)).toEqual(['a', 'b']);
    expect(stepRequests(byId, 'r1', 2)).toBe(first);
    expect(stepRequests(byId, 'r2', 2)).toEqual([]);
    const next = withApprovals(byId, [item('e', 'r1', 2, '2026-01-01T00:00:03Z')]);
    expect(stepRequests(next, 'r1', 2).map((i) => i.id)).toEqual(['a', 'b', 'e']);
  });

  it('finds the newest session a step ran as, and none for a standalone session', () => {
    const sessions = { s1: session('s1', 'r1', '2', 1), s2: session('s2', 'r1', '2', 5), s3: session('s3', undefined, undefined, 9) };
    expect(stepSessionId(sessions, 'r1', 2)).toBe('s2');
    expect(stepSessionId(sessions, 'r1', 3)).toBeNull();
  });
});
