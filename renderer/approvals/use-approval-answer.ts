import { useCallback, useState } from 'react';
import type { ApprovalAnswer } from '../../shared/approvals.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';

/** A refusal as the page shows it: which request and why. */
export interface Refusal {
  id: string;
  reason: string;
}

/**
 * Answers requests, one or a batch. Each accepted answer updates the inbox at once (its event
 * follows); each refused one (already answered, session ended) is kept with the engine's reason.
 */
export function useApprovalAnswer() {
  const { client, store } = useServices();
  // Per request: answering one must not hold up the others (ten agents ask at once).
  const [busy, setBusy] = useState<ReadonlySet<string>>(() => new Set());
  const [refusals, setRefusals] = useState<Refusal[]>([]);

  const answer = useCallback(
    async (ids: readonly string[], choice: ApprovalAnswer, message?: string): Promise<boolean> => {
      const mine = new Set(ids);
      const keepOthers = (list: Refusal[], added: Refusal[]) => [...list.filter((r) => !mine.has(r.id)), ...added];
      setBusy((current) => new Set([...current, ...ids]));
      try {
        const results = await client.call('approvals.answer', { ids: [...ids], answer: choice, ...(message ? { message } : {}) });
        const refused: Refusal[] = [];
        for (const result of results) {
          if (result.ok) store.getState().approvalUpdated(result.item);
          else refused.push({ id: result.id, reason: result.reason });
        }
        setRefusals((list) => keepOthers(list, refused));
        return refused.length === 0;
      } catch (error) {
        setRefusals((list) => keepOthers(list, ids.map((id) => ({ id, reason: errorBody(error).message }))));
        return false;
      } finally {
        setBusy((current) => new Set([...current].filter((id) => !mine.has(id))));
      }
    },
    [client, store],
  );

  return { answer, busy, refusals };
}
