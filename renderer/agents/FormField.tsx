import { useId, type ReactNode } from 'react';

export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

/** A labelled control with its message (or hint) linked to it, so a screen reader reads both. */
export function FormField({ label, error, hint, className, children }: { label: string; error?: string; hint?: ReactNode; className?: string; children: (props: FieldControlProps) => ReactNode }) {
  const id = useId();
  const messageId = `${id}-message`;
  const described = error || hint ? messageId : undefined;
  return (
    <div className={`form-field${error ? ' invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': described })}
      {error ? (
        <FieldError id={messageId}>{error}</FieldError>
      ) : (
        hint && (
          <p className="field-hint" id={messageId}>
            {hint}
          </p>
        )
      )}
    </div>
  );
}

/** A field's problem, marked by more than colour; `id` is what the control's aria-describedby names. */
export function FieldError({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <p className="field-error" id={id}>
      <span aria-hidden="true">⚠ </span>
      {children}
    </p>
  );
}
