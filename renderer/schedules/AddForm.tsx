import { useId, useState, type ReactNode } from 'react';
import { errorBody } from '../sync/report-error.js';

/**
 * The frame both "Add a schedule" and "Add a trigger" share: the button is busy while the engine
 * answers, and its refusal (it names the field and the fix) is shown above the button, the fields
 * kept as typed so the user corrects rather than retypes.
 */
export function AddForm({ title, submitLabel, add, children }: { title: string; submitLabel: string; add(): Promise<void>; children: ReactNode }) {
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);

  const submit = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      await add();
    } catch (error) {
      setRefusal(errorBody(error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="schedule-form"
      aria-labelledby={titleId}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3 id={titleId}>{title}</h3>
      {children}
      {refusal && (
        <p className="review-refused" role="alert">
          {refusal}
        </p>
      )}
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Adding…' : submitLabel}
      </button>
    </form>
  );
}
