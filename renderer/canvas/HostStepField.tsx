import type { SavedAgent } from '../../shared/agents.js';
import type { HostInfo } from '../../shared/hosts.js';
import { platformInfo } from '../../shared/platforms.js';
import type { WorkflowStep } from '../../shared/workflow.js';
import { workspaceSchema } from '../../shared/workspaces.js';
import { usePhoton } from '../lib/app-context.js';
import { useHostChoices } from '../lib/use-host-choices.js';
import { Field, type FieldNote } from './InspectorField.js';

/**
 * What the "Runs on" field says under it: where the step will run, and why it could not run there
 * (the engine refuses the same things when the run starts; this says it while the user edits).
 */
export function hostStepNote(input: { host: string; hosts: readonly HostInfo[] | null; platform: string; agent: Pick<SavedAgent, 'name' | 'location' | 'host'> | undefined; isolated: boolean }): FieldNote {
  const { host, hosts, platform, agent, isolated } = input;
  if (host === '') {
    if (agent?.location === 'remote' && agent.host) return { kind: 'hint', text: `Where its agent runs: ${agent.name} is on ${agent.host}.` };
    return { kind: 'hint', text: 'On this machine.' };
  }
  if (hosts === null) return { kind: 'hint', text: 'Looking up the remote hosts…' };
  const found = hosts.find((h) => h.name === host);
  if (!found) return { kind: 'warning', text: `No remote host “${host}”: add it in Settings → Remote hosts, or pick another.` };
  if (isolated && found.repoPath === null) {
    return { kind: 'warning', text: `The workflow has a workspace, and ${host} has no clone of the repository set: set it in Settings → Remote hosts (Repository…).` };
  }
  const tool = platform === 'shell' ? '' : ` ${platformInfo(platform)?.label ?? platform} as installed there (photon tools --host ${host}), headless;`;
  return { kind: 'hint', text: `Over ssh on ${host} (${found.address});${tool} its working folder is a folder there${isolated ? ', in its worktree in the host’s clone' : ''}.` };
}

/** Whether the workflow's steps get worktrees: a `workspace` whose isolation is not "none". */
export function isolatedWorkflow(meta: Record<string, unknown>): boolean {
  const workspace = workspaceSchema.safeParse(meta.workspace);
  return meta.workspace !== undefined && workspace.success && workspace.data.isolation !== 'none';
}

/**
 * The step's "Runs on": this machine (or where its agent runs) or one of the configured remote
 * hosts. A host the step names that is not configured stays listed, marked, so selecting the step
 * never changes where it runs.
 */
export function HostStepField({ step, error, onChange }: { step: WorkflowStep; error?: string; onChange(host: string | undefined): void }) {
  const agents = usePhoton((s) => s.agents.list);
  const isolated = usePhoton((s) => isolatedWorkflow(s.canvas.meta));
  const { hosts, problem } = useHostChoices();

  const value = step.host ?? '';
  const agent = agents.find((a) => a.id === step.agent);
  const note: FieldNote = problem ? { kind: 'warning', text: `Could not list the remote hosts: ${problem}` } : hostStepNote({ host: value, hosts, platform: step.platform, agent, isolated });
  return (
    <Field label="Runs on" error={error} hint={note}>
      {(props) => (
        <select {...props} value={value} onChange={(event) => onChange(event.target.value || undefined)}>
          <option value="">{agent?.location === 'remote' && agent.host ? `Where its agent runs (${agent.host})` : 'This machine'}</option>
          {hosts?.map((host) => (
            <option key={host.name} value={host.name}>
              {host.name}
            </option>
          ))}
          {value !== '' && hosts !== null && !hosts.some((host) => host.name === value) && <option value={value}>{value} (not configured)</option>}
        </select>
      )}
    </Field>
  );
}
