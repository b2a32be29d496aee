import { useId } from 'react';
import type { AgentDraft, DraftErrors } from './agent-form.js';
import { FieldError } from './FormField.js';

type Row = AgentDraft['secrets'][number];

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Which keychain secret fills which variable of the tool's environment. */
export function SecretRows({ rows, names, errors, onChange }: { rows: Row[]; names: string[] | null; errors: DraftErrors; onChange(rows: Row[]): void }) {
  const baseId = useId();
  const update = (index: number, patch: Partial<Row>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  return (
    <fieldset className="form-group">
      <legend>Secrets</legend>
      <p className="field-hint">
        {names === null
          ? 'The keychain cannot be read now (see Secrets on this page), so no secret can be picked.'
          : names.length === 0
            ? 'No secrets in the keychain yet: set one under Secrets on this page.'
            : 'Each value is read from the keychain only when the tool starts, into the variable named here.'}
      </p>
      {rows.length > 0 && (
        <ul className="rows">
          {rows.map((row, index) => {
            const error = errors[`secrets.${index}.secret`] ?? errors[`secrets.${index}.variable`];
            const messageId = `${baseId}-${index}`;
            // A name the keychain does not hold (deleted since, or not set yet) stays choosable and says so.
            const options = names && row.secret !== '' && !names.includes(row.secret) ? [...names, row.secret] : (names ?? (row.secret ? [row.secret] : []));
            return (
              <li key={index} className={error ? 'row invalid' : 'row'}>
                <select
                  aria-label={`Secret, row ${index + 1}`}
                  aria-invalid={Boolean(errors[`secrets.${index}.secret`])}
                  aria-describedby={error ? messageId : undefined}
                  value={row.secret}
                  onChange={(event) => {
                    const secret = event.target.value;
                    // The usual case: a secret named like the variable it fills (OPENAI_API_KEY).
                    const variable = row.variable === '' && variableName.test(secret) ? secret : row.variable;
                    update(index, { secret, variable });
                  }}
                >
                  <option value="">Pick a secret…</option>
                  {options.map((name) => (
                    <option key={name} value={name}>
                      {names && !names.includes(name) ? `${name} (not in the keychain)` : name}
                    </option>
                  ))}
                </select>
                <span aria-hidden="true">→</span>
                <input
                  type="text"
                  aria-label={`Variable filled by ${row.secret || `row ${index + 1}`}`}
                  aria-invalid={Boolean(errors[`secrets.${index}.variable`])}
                  aria-describedby={error ? messageId : undefined}
                  placeholder="VARIABLE"
                  spellCheck={false}
                  value={row.variable}
                  onChange={(event) => update(index, { variable: event.target.value })}
                />
                <button type="button" className="icon-button" aria-label={`Remove secret ${row.secret || `row ${index + 1}`}`} onClick={() => onChange(rows.filter((_, i) => i !== index))}>
                  ×
                </button>
                {error && <FieldError id={messageId}>{error}</FieldError>}
              </li>
            );
          })}
        </ul>
      )}
      {errors.secrets && <p className="field-error">{errors.secrets}</p>}
      <button type="button" className="button small" onClick={() => onChange([...rows, { secret: '', variable: '' }])}>
        <span aria-hidden="true">+ </span>Add secret
      </button>
    </fieldset>
  );
}
