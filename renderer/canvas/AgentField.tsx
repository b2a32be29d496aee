import { useEffect } from 'react';
import { platformInfo } from '../../shared/platforms.js';
import type { WorkflowStep } from '../../shared/workflow.js';
import { usePhoton, useServices } from '../lib/app-context.js';
import { reportBackgroundError } from '../sync/report-error.js';
import { Field, type FieldNote } from './InspectorField.js';
import './agent-field.css';

/** What the Agent field says under it: which agent runs the step, or why none will. */
export function agentNote(value: string, agents: readonly { id: string; name: string; tool: string }[], loaded: boolean, platform: string): FieldNote {
  if (value === '') return { kind: 'hint', text: `No agent: the step runs ${platformInfo(platform)?.label ?? platform} with its default settings.` };
  if (value === 'auto') return { kind: 'hint', text: 'The engine picks a saved agent by the capabilities the step requires.' };
  const agent = agents.find((a) => a.id === value);
  if (agent) return { kind: 'hint', text: `${agent.name} runs it with ${platformInfo(agent.tool)?.label ?? agent.tool}, its model, folder and secrets.` };
  if (!loaded) return { kind: 'hint', text: 'Looking up the saved agents…' };
  const near = agents.find((a) => a.name.toLowerCase() === value.toLowerCase());
  return {
    kind: 'warning',
    text: near
      ? `No saved agent has the id “${value}”; ${near.name}’s id is “${near.id}”.`
      : `No saved agent “${value}”: the step would run ${platformInfo(platform)?.label ?? platform} with its default settings. Agents are made on the Agents page.`,
  };
}

/** The step's Agent: typed, or picked from the saved agents (and "auto"); an unknown one is warned about. */
export function AgentField({ step, error, onChange }: { step: WorkflowStep; error?: string; onChange(agent: string | undefined): void }) {
  const { client, store } = useServices();
  const agents = usePhoton((s) => s.agents.list);
  const loaded = usePhoton((s) => s.agents.loaded);
  const value = step.agent ?? '';

  useEffect(() => {
    if (store.getState().agents.loaded) return;
    client.call('agents.list').then(
      (list) => store.getState().agentsLoaded(list),
      (failure: unknown) => reportBackgroundError(store, 'Could not list agents', failure),
    );
  }, [client, store]);

  return (
    <Field label="Agent" error={error} hint={agentNote(value, agents, loaded, step.platform)}>
      {(props) => (
        <>
          <input {...props} list={`${props.id}-agents`} value={value} placeholder="none (platform defaults)" autoComplete="off" onChange={(event) => onChange(event.target.value || undefined)} />
          <datalist id={`${props.id}-agents`}>
            <option value="auto">auto: picked by capabilities</option>
            {agents.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name} · {platformInfo(agent.tool)?.label ?? agent.tool}
              </option>
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}
