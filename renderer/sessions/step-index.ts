import type { ApprovalItem } from '../../shared/approvals.js';
import type { ShownSession } from '../store/sessions-slice.js';

/**
 * Run steps' requests and sessions, indexed once per change of the store's maps: a run page has a
 * card per step (a thousand, for big runs), and each card scanning every request on every store
 * update would cost the page its frames.
 */
const none: readonly ApprovalItem[] = [];
let approvalsSource: Record<string, ApprovalItem> | undefined;
let approvalsIndex = new Map<string, ApprovalItem[]>();
let sessionsSource: Record<string, ShownSession> | undefined;
let sessionsIndex = new Map<string, string>();

export const stepKey = (runId: string, step: number | string): string => `${runId}\u0000${step}`;

/** A step's requests, oldest first; the same array while nothing about them changed. */
export function stepRequests(byId: Record<string, ApprovalItem>, runId: string, step: number): readonly ApprovalItem[] {
  if (byId !== approvalsSource) {
    approvalsSource = byId;
    approvalsIndex = new Map();
    for (const item of Object.values(byId)) {
      if (item.runId === null || item.step === null) continue;
      const key = stepKey(item.runId, item.step);
      const list = approvalsIndex.get(key);
      if (list) list.push(item);
      else approvalsIndex.set(key, [item]);
    }
    for (const list of approvalsIndex.values()) list.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }
  return approvalsIndex.get(stepKey(runId, step)) ?? none;
}

/** The newest session a step ran as, if any. */
export function stepSessionId(sessions: Record<string, ShownSession>, runId: string, step: number): string | null {
  if (sessions !== sessionsSource) {
    sessionsSource = sessions;
    sessionsIndex = new Map();
    const newestFirst = Object.values(sessions)
      .map((s) => s.info)
      .filter((info) => info.runId && info.stepId)
      .sort((a, b) => a.startedAt - b.startedAt);
    for (const info of newestFirst) sessionsIndex.set(stepKey(info.runId!, info.stepId!), info.id);
  }
  return sessionsIndex.get(stepKey(runId, step)) ?? null;
}
