import type { ReviewOutcome } from './use-review-action.js';

/** What an action did, or why it was refused, in the engine's words. */
export function ReviewOutcomeText({ outcome }: { outcome: ReviewOutcome }) {
  if (outcome.state === 'done') {
    return (
      <p className="review-done" role="status">
        {outcome.message}
        {outcome.url && (
          <>
            {' '}
            <a href={outcome.url} target="_blank" rel="noreferrer">
              {outcome.url}
            </a>
          </>
        )}
      </p>
    );
  }
  if (outcome.state === 'refused') {
    return (
      <p className="review-refused" role="alert">
        Refused: {outcome.message}
      </p>
    );
  }
  return null;
}
