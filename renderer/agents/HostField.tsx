import { useHostChoices } from '../lib/use-host-choices.js';
import type { FieldControlProps } from './FormField.js';

/**
 * Where an agent's steps run: this machine or one of the configured remote hosts (Settings →
 * Remote hosts). A host the agent names that is no longer configured stays listed, marked, so
 * opening and saving the form never moves the agent without the user choosing to.
 */
export function HostField({ control, value, onChange }: { control: FieldControlProps; value: string; onChange(host: string): void }) {
  const { hosts, problem } = useHostChoices();
  const names = hosts?.map((host) => host.name) ?? [];
  return (
    <>
      <select {...control} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">This machine</option>
        {hosts?.map((host) => (
          <option key={host.name} value={host.name}>
            {host.name} ({host.address})
          </option>
        ))}
        {value !== '' && hosts !== null && !names.includes(value) && <option value={value}>{value} (not configured)</option>}
      </select>
      {problem && <p className="field-error">Could not list the hosts: {problem}</p>}
    </>
  );
}
