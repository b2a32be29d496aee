import type { ReactNode } from 'react';
import { ReviewOutcomeText } from './ReviewOutcomeText.js';
import type { ReviewOutcome } from './use-review-action.js';

interface ReviewFormProps {
  /** The form's accessible name. */
  label: string;
  outcome: ReviewOutcome;
  /** The button that does it; it is gone once the action is done, leaving Close. */
  action: { label: string; busyLabel: string; tone: 'primary' | 'danger'; disabled?: boolean };
  /** Cancel takes the focus first, so Enter does not do a destructive action by accident. */
  focusCancel?: boolean;
  onSubmit(): void;
  onClose(): void;
  /** What the action will do, and its choices. */
  children: ReactNode;
}

/**
 * The frame every review action on a run's workspace shares (merge, pull request, discard): what
 * it will do, then what it did or why it was refused, then its button beside Cancel.
 */
export function ReviewForm({ label, outcome, action, focusCancel = false, onSubmit, onClose, children }: ReviewFormProps) {
  const done = outcome.state === 'done';
  const busy = outcome.state === 'busy';
  return (
    <form
      className="review-form"
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
      <ReviewOutcomeText outcome={outcome} />
      <div className="review-actions">
        {!done && (
          <button type="submit" className={`button ${action.tone}`} disabled={busy || action.disabled}>
            {busy ? action.busyLabel : action.label}
          </button>
        )}
        <button type="button" className="button" onClick={onClose} autoFocus={focusCancel && !done}>
          {done ? 'Close' : 'Cancel'}
        </button>
      </div>
    </form>
  );
}
