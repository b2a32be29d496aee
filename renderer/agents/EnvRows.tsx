import { useId } from 'react';
import type { AgentDraft, DraftErrors } from './agent-form.js';
import { FieldError } from './FormField.js';

type Row = AgentDraft['env'][number];

/** Extra environment for the tool, one variable a row. */
export function EnvRows({ rows, errors, onChange }: { rows: Row[]; errors: DraftErrors; onChange(rows: Row[]): void }) {
  const baseId = useId();
  const update = (index: number, patch: Partial<Row>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));

  return (
    <fieldset className="form-group">
      <legend>Extra environment</legend>
      <p className="field-hint">Plain settings stored with the agent. Put API keys in Secrets instead: these values are saved in Photon’s database.</p>
      {rows.length > 0 && (
        <ul className="rows">
          {rows.map((row, index) => {
            const error = errors[`env.${index}.key`] ?? errors[`env.${index}.value`];
            const messageId = `${baseId}-${index}`;
            return (
              <li key={index} className={error ? 'row invalid' : 'row'}>
                <input
                  type="text"
                  aria-label={`Variable name, row ${index + 1}`}
                  aria-invalid={Boolean(error)}
                  aria-describedby={error ? messageId : undefined}
                  placeholder="NAME"
                  spellCheck={false}
                  value={row.key}
                  onChange={(event) => update(index, { key: event.target.value })}
                />
                <span aria-hidden="true">=</span>
                <input
                  type="text"
                  aria-label={`Value of ${row.key.trim() || `row ${index + 1}`}`}
                  placeholder="value"
                  spellCheck={false}
                  value={row.value}
                  onChange={(event) => update(index, { value: event.target.value })}
                />
                <button type="button" className="icon-button" aria-label={`Remove variable ${row.key.trim() || `row ${index + 1}`}`} onClick={() => onChange(rows.filter((_, i) => i !== index))}>
                  ×
                </button>
                {error && <FieldError id={messageId}>{error}</FieldError>}
              </li>
            );
          })}
        </ul>
      )}
      {errors.env && <p className="field-error">{errors.env}</p>}
      <button type="button" className="button small" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        <span aria-hidden="true">+ </span>Add variable
      </button>
    </fieldset>
  );
}
