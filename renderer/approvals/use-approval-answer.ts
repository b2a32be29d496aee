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
  const [busy, setBusy] = useState(false);
  const [refusals, setRefusals] = useState<Refusal[]>([]);

  const answer = useCallback(
    async (ids: readonly string[], choice: ApprovalAnswer, message?: string): Promise<boolean> => {
      setBusy(true);
      try {
        const results = await client.call('approvals.answer', { ids: [...ids], answer: choice, ...(message ? { message } : {}) });
        const refused: Refusal[] = [];
        for (const result of results) {
          if (result.ok) store.getState().approvalUpdated(result.item);
          else refused.push({ id: result.id, reason: result.reason });
        }
        setRefusals(refused);
        return refused.length === 0;
      } catch (error) {
        setRefusals(ids.map((id) => ({ id, reason: errorBody(error).message })));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [client, store],
  );

  return { answer, busy, refusals };
}
