import { useId, type ReactNode } from 'react';

/** What a field says under it when the engine has no error for it: a hint, or a warning announced politely. */
export interface FieldNote {
  kind: 'hint' | 'warning';
  text: string;
}

/** A labelled control with the engine's message for it (else its note), announced and linked to the control. */
export function Field({ label, error, children, hint }: { label: string; error?: string; hint?: string | FieldNote; children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode }) {
  const id = useId();
  const messageId = `${id}-message`;
  const note = typeof hint === 'string' ? { kind: 'hint' as const, text: hint } : hint;
  return (
    <div className={`inspector-field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': error || note?.text ? messageId : undefined })}
      {error ? (
        <p className="field-error" id={messageId} role="alert">
          {error}
        </p>
      ) : (
        note?.text && (
          <p className={note.kind === 'warning' ? 'field-warning' : 'field-hint'} id={messageId} role={note.kind === 'warning' ? 'status' : undefined}>
            {note.kind === 'warning' && <span aria-hidden="true">⚠ </span>}
            {note.text}
          </p>
        )
      )}
    </div>
  );
}

export const numberOrUndefined = (text: string): number | undefined => (text.trim() === '' || Number.isNaN(Number(text)) ? undefined : Number(text));
