import { useCallback, useEffect, useRef, useState } from 'react';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';

/** Where an action on a run's workspace stands, for the words under its button. */
export type ReviewOutcome = { state: 'idle' } | { state: 'busy' } | { state: 'done'; message: string; url?: string } | { state: 'refused'; message: string };

/**
 * Runs one review action (merge, pull request, discard, clean-up) and keeps what it said: its
 * result in words, or the engine's refusal as it was given (it names the fix). The run is read
 * again afterwards, so its steps show their worktrees removed.
 */
export function useReviewAction(runId: string | null): { outcome: ReviewOutcome; perform: (work: () => Promise<{ message: string; url?: string }>) => Promise<boolean>; reset: () => void } {
  const { client, store } = useServices();
  const [outcome, setOutcome] = useState<ReviewOutcome>({ state: 'idle' });
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  const perform = useCallback(
    async (work: () => Promise<{ message: string; url?: string }>) => {
      setOutcome({ state: 'busy' });
      let ok = false;
      try {
        const done = await work();
        ok = true;
        if (mounted.current) setOutcome({ state: 'done', ...done });
      } catch (error) {
        if (mounted.current) setOutcome({ state: 'refused', message: errorBody(error).message });
      }
      if (ok && runId) {
        try {
          store.getState().runLoaded(await client.call('runs.get', { runId }));
        } catch {
          // The page keeps what it showed; the next catch-up reads the run again.
        }
      }
      return ok;
    },
    [client, runId, store],
  );

  return { outcome, perform, reset: useCallback(() => setOutcome({ state: 'idle' }), []) };
}
