import type { StateCreator } from 'zustand';
import type { ApprovalItem } from '../../shared/approvals.js';
import type { PhotonState } from './store.js';

export interface ApprovalsSlice {
  approvals: {
    /** Every request read or announced, waiting or answered, by id. */
    byId: Record<string, ApprovalItem>;
    loaded: boolean;
  };
  approvalsLoaded(items: readonly ApprovalItem[]): void;
  approvalUpdated(item: ApprovalItem): void;
  /** Part of the record (one run's requests), merged without touching the rest. */
  approvalsMerged(items: readonly ApprovalItem[]): void;
}

/** Answered requests kept in memory for the record; the waiting ones are always kept. */
export const answeredKept = 500;

/**
 * Merges a list (`whole` when it is the engine's full list) or an event into what is held. An answered request never goes back to waiting:
 * a list read before the answer, arriving after its event, must not put it back in the inbox.
 */
export function withApprovals(held: Record<string, ApprovalItem>, items: readonly ApprovalItem[], whole = false): Record<string, ApprovalItem> {
  const next = { ...held };
  // A whole list (read on connect) holds every waiting request: one held as waiting but absent
  // was answered or ended while the link was down, and its event never came.
  if (whole) {
    const listed = new Set(items.map((i) => i.id));
    for (const [id, item] of Object.entries(next)) if (item.status === 'waiting' && !listed.has(id)) delete next[id];
  }
  for (const item of items) {
    const known = next[item.id];
    if (known && known.status !== 'waiting' && item.status === 'waiting') continue;
    next[item.id] = item;
  }
  const answered = Object.values(next).filter((i) => i.status !== 'waiting');
  if (answered.length > answeredKept) {
    answered.sort((a, b) => (b.answeredAt ?? b.createdAt).localeCompare(a.answeredAt ?? a.createdAt));
    for (const old of answered.slice(answeredKept)) delete next[old.id];
  }
  return next;
}

/** The inbox: waiting requests, oldest first (the one asked first is answered first). */
export function waitingApprovals(byId: Record<string, ApprovalItem>): ApprovalItem[] {
  return Object.values(byId)
    .filter((item) => item.status === 'waiting')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** Answered requests, newest answer first. */
export function answeredApprovals(byId: Record<string, ApprovalItem>): ApprovalItem[] {
  return Object.values(byId)
    .filter((item) => item.status !== 'waiting')
    .sort((a, b) => (b.answeredAt ?? b.createdAt).localeCompare(a.answeredAt ?? a.createdAt));
}

export const createApprovalsSlice: StateCreator<PhotonState, [], [], ApprovalsSlice> = (set) => ({
  approvals: { byId: {}, loaded: false },
  approvalsLoaded: (items) => set((s) => ({ approvals: { byId: withApprovals(s.approvals.byId, items, true), loaded: true } })),
  approvalUpdated: (item) => set((s) => ({ approvals: { ...s.approvals, byId: withApprovals(s.approvals.byId, [item]) } })),
  approvalsMerged: (items) => set((s) => ({ approvals: { ...s.approvals, byId: withApprovals(s.approvals.byId, items) } })),
});
