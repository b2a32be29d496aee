import { useState } from 'react';
import { withCapabilities } from './agent-form.js';
import type { FieldControlProps } from './FormField.js';

/** Capabilities as tags: typed text becomes tags on Enter, a comma or leaving the field. */
export function CapabilitiesField({ value, onChange, control }: { value: string[]; onChange(next: string[]): void; control: FieldControlProps }) {
  const [typed, setTyped] = useState('');
  const commit = () => {
    if (typed.trim() === '') return;
    onChange(withCapabilities(value, typed));
    setTyped('');
  };

  return (
    <div className="tags-input">
      {value.length > 0 && (
        <ul className="tag-list" aria-label="Chosen capabilities">
          {value.map((tag) => (
            <li key={tag} className="tag">
              {tag}
              <button type="button" className="tag-remove" aria-label={`Remove capability ${tag}`} onClick={() => onChange(value.filter((t) => t !== tag))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        {...control}
        type="text"
        value={typed}
        placeholder={value.length > 0 ? 'Add another' : 'e.g. code-review, tests'}
        spellCheck={false}
        onChange={(event) => {
          const text = event.target.value;
          if (text.includes(',')) {
            onChange(withCapabilities(value, text));
            setTyped('');
          } else setTyped(text);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            // Enter adds the tag; it must not submit the whole form.
            event.preventDefault();
            commit();
          } else if (event.key === 'Backspace' && typed === '' && value.length > 0) {
            onChange(value.slice(0, -1));
          }
        }}
        onBlur={commit}
      />
    </div>
  );
}
