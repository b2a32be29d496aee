import { useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { autonomyModes, type AutonomyMode, type SavedAgent } from '../../shared/agents.js';
import { platforms } from '../../shared/platforms.js';
import { isToolUsable, type ToolDetection } from '../../shared/tools.js';
import { ModalDialog } from '../components/ModalDialog.js';
import { usePhoton } from '../lib/app-context.js';
import { checkDraft, draftFromAgent, emptyDraft, errorsFromRefusal, idFromName, sandboxChoices, type AgentDraft, type DraftErrors, type SandboxChoice } from './agent-form.js';
import { autonomyHint, toolKeysHint } from './agent-form-hints.js';
import { agentBusyKey } from './agent-actions.js';
import { CapabilitiesField } from './CapabilitiesField.js';
import { EnvRows } from './EnvRows.js';
import { FormField } from './FormField.js';
import { HostField } from './HostField.js';
import { SecretRows } from './SecretRows.js';
import { useAgentActions } from './use-agent-actions.js';

const sandboxText: Record<SandboxChoice, string> = {
  off: 'Off',
  'no-network': 'On, without network (for shell steps: an AI tool needs its API)',
  network: 'On, with network',
};

const autonomyText: Record<AutonomyMode, string> = {
  default: 'Default: the tool asks as it normally does',
  'auto-edit': 'Auto-edit: edits files without asking, asks before commands',
  full: 'Full: edits and runs commands without asking',
};

/** "Claude Code — 2.1.329" or "Codex — not installed": the tool list says at once what can run. */
function toolOptionLabel(label: string, found: ToolDetection | undefined): string {
  if (!found) return label;
  if (!found.installed) return `${label} — not installed`;
  if (found.tooOld) return `${label} — ${found.version ?? ''} too old`;
  return found.version ? `${label} — ${found.version}` : `${label} — installed`;
}

/** A sentence, ended as one: the keys hint follows it in the same line. */
function toolHint(found: ToolDetection | undefined) {
  if (!found) return 'Not detected yet: see Detect tools below.';
  // The engine's words end without a stop, as they also stand alone in the tools table.
  if (found.error) return /[.!?]$/.test(found.error) ? found.error : `${found.error}.`;
  if (!found.installed) return 'Not installed: steps of this agent cannot run until it is.';
  return found.path ? (
    <>
      Found at <code>{found.path}</code>.
    </>
  ) : (
    'Installed.'
  );
}

/** Top-level field a form key belongs to (`env.2.key` → `env`): errors show once its field was touched. */
const topField = (key: string) => key.split('.')[0]!;

/** Creates an agent (`agent` null) or edits one, checking it as the user types. */
export function AgentFormDialog({ agent, onClose }: { agent: SavedAgent | null; onClose(): void }) {
  const actions = useAgentActions();
  const titleId = useId();
  const tools = usePhoton((s) => s.agents.tools);
  // null: the names are not known (not read yet, or no keychain to read them from).
  const secretNames = usePhoton((s) => (s.agents.secrets?.available ? s.agents.secrets.names : null));
  const existingIds = usePhoton(useShallow((s) => s.agents.list.map((a) => a.id)));
  const isNew = agent === null;
  const [draft, setDraft] = useState<AgentDraft>(() => (agent ? draftFromAgent(agent) : emptyDraft(tools.find((t) => t.platform !== 'shell' && isToolUsable(t))?.platform)));
  const [idTyped, setIdTyped] = useState(!isNew);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [refusal, setRefusal] = useState<{ code: string; message: string; fields: DraftErrors } | null>(null);
  const busy = usePhoton((s) => Boolean(s.busy[agentBusyKey(draft.id.trim())]));

  const check = useMemo(() => checkDraft(draft, { existingIds, isNew }), [draft, existingIds, isNew]);
  const shownErrors = useMemo(() => {
    const errors: DraftErrors = { ...(refusal?.fields ?? {}) };
    for (const [key, message] of Object.entries(check.errors)) if (submitted || touched.has(topField(key))) errors[key] = message;
    return errors;
  }, [check, refusal, submitted, touched]);

  /** Applies a change; every field it sets counts as touched (a name typed also fills in the id). */
  const change = (patch: Partial<AgentDraft>) => {
    const fields = Object.keys(patch);
    setDraft((current) => ({ ...current, ...patch }));
    setTouched((current) => (fields.every((f) => current.has(f)) ? current : new Set([...current, ...fields])));
    // The engine's word was about the draft it saw; once the user changes that field it no longer applies.
    setRefusal((current) => (current && Object.keys(current.fields).some((key) => fields.includes(topField(key))) ? { ...current, fields: {} } : current));
  };

  const submit = async () => {
    setSubmitted(true);
    if (!check.ok) return;
    const outcome = await actions.save(check.agent);
    if (outcome.ok) onClose();
    else setRefusal({ ...outcome.error, fields: errorsFromRefusal(draft, outcome.error.details) });
  };

  const detection = (platform: string) => tools.find((t) => t.platform === platform);
  const chosenTool = detection(draft.tool);
  const autonomyUnsupported = chosenTool && draft.autonomy !== 'default' && !chosenTool.supports.autonomyModes.includes(draft.autonomy);
  const errorCount = Object.keys(shownErrors).length;

  return (
    <ModalDialog className="dialog agent-dialog" labelledBy={titleId} onCancel={onClose}>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <h2 id={titleId}>{isNew ? 'New agent' : `Edit agent “${agent.name}”`}</h2>
        {refusal && (
          <p className="form-refusal" role="alert">
            <span aria-hidden="true">⚠ </span>
            The engine refused the agent: <code>{refusal.code}</code> {refusal.message}
          </p>
        )}
        <div className="form-grid">
          <FormField label="Name" error={shownErrors.name}>
            {(control) => (
              <input
                {...control}
                type="text"
                autoFocus={isNew}
                value={draft.name}
                onChange={(event) => {
                  const name = event.target.value;
                  change(idTyped ? { name } : { name, id: idFromName(name) });
                }}
              />
            )}
          </FormField>
          <FormField label="Id" error={shownErrors.id} hint={isNew ? 'How steps name this agent ("agent": "id"). It cannot change later.' : 'Steps name this agent by its id.'}>
            {(control) => (
              <input
                {...control}
                type="text"
                spellCheck={false}
                readOnly={!isNew}
                value={draft.id}
                onChange={(event) => {
                  setIdTyped(true);
                  change({ id: event.target.value });
                }}
              />
            )}
          </FormField>
          <FormField
            label="Tool"
            error={shownErrors.tool}
            hint={
              <>
                {toolHint(chosenTool)}
                {toolKeysHint(draft.tool) && <span className="field-hint-more"> {toolKeysHint(draft.tool)}</span>}
              </>
            }
          >
            {(control) => (
              <select {...control} value={draft.tool} onChange={(event) => change({ tool: event.target.value })}>
                {draft.tool === '' && <option value="">Pick a tool…</option>}
                {platforms.map((p) => (
                  <option key={p.id} value={p.id}>
                    {toolOptionLabel(p.label, detection(p.id))}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField label="Model" error={shownErrors.model} hint="Empty: the tool's own default.">
            {(control) => <input {...control} type="text" spellCheck={false} placeholder="tool default" value={draft.model} onChange={(event) => change({ model: event.target.value })} />}
          </FormField>
          <FormField label="Default working folder" error={shownErrors.cwd} hint="Where its terminal opens; a step's own folder wins. Empty: the home folder.">
            {(control) => <input {...control} type="text" spellCheck={false} placeholder="home folder" value={draft.cwd} onChange={(event) => change({ cwd: event.target.value })} />}
          </FormField>
          <FormField
            label="Runs on"
            error={shownErrors.host ?? shownErrors.location}
            hint={draft.host === '' ? 'Its steps run here. Add remote hosts in Settings → Remote hosts.' : `Its steps run on ${draft.host} over ssh, with the tools installed there (headless, no ACP sessions).`}
          >
            {(control) => <HostField control={control} value={draft.host} onChange={(host) => change({ host })} />}
          </FormField>
          <FormField
            label="Autonomy"
            // The whole row: each choice says what it allows in full, and a half row cut it off.
            className="span-2"
            error={shownErrors.autonomy}
            hint={
              autonomyUnsupported
                ? `${chosenTool.label} does not offer this mode (it offers: ${chosenTool.supports.autonomyModes.join(', ') || 'none'}).`
                : autonomyHint(draft.tool, draft.autonomy)
            }
          >
            {(control) => (
              <select {...control} value={draft.autonomy} onChange={(event) => change({ autonomy: event.target.value as AutonomyMode })}>
                {autonomyModes.map((mode) => (
                  <option key={mode} value={mode}>
                    {autonomyText[mode]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField
            label="Sandbox"
            className="span-2"
            hint={
              draft.sandbox === 'off'
                ? 'Its steps run as you: they can write anywhere you can and reach the network.'
                : `Its steps may write only their worktree${draft.sandboxWrite.some((entry) => entry !== 'worktree') ? ' and the folders its "write" list names' : ''}; your home, keychain and other repositories are out of reach.`
            }
          >
            {(control) => (
              <select {...control} value={draft.sandbox} onChange={(event) => change({ sandbox: event.target.value as SandboxChoice })}>
                {sandboxChoices.map((choice) => (
                  <option key={choice} value={choice}>
                    {sandboxText[choice]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField label="Capabilities" error={shownErrors.capabilities} hint={'Matched against a step\'s "requires" when it asks for "agent": "auto". Enter or comma adds one.'} className="span-2">
            {(control) => <CapabilitiesField control={control} value={draft.capabilities} onChange={(capabilities) => change({ capabilities })} />}
          </FormField>
          <FormField label="Max concurrent steps" error={shownErrors.maxConcurrentSteps}>
            {(control) => (
              <input
                {...control}
                type="number"
                min={1}
                max={64}
                step={1}
                value={draft.maxConcurrentSteps}
                onChange={(event) => change({ maxConcurrentSteps: event.target.value })}
              />
            )}
          </FormField>
          <FormField label="Budget per run (USD)" error={shownErrors.budgetUsd} hint="What its steps may spend in one run; empty: no limit.">
            {(control) => <input {...control} type="number" min={0} step="any" inputMode="decimal" value={draft.budgetUsd} onChange={(event) => change({ budgetUsd: event.target.value })} />}
          </FormField>
          <FormField label="Budget per run (tokens)" error={shownErrors.budgetTokens} hint="Input and output tokens in one run; empty: no limit.">
            {(control) => <input {...control} type="number" min={1} step={1} value={draft.budgetTokens} onChange={(event) => change({ budgetTokens: event.target.value })} />}
          </FormField>
          <FormField label="Daily cap (USD)" error={shownErrors.dailyCapUsd} hint="What it may spend in a day (this machine's day), across all runs; empty: no cap.">
            {(control) => <input {...control} type="number" min={0} step="any" inputMode="decimal" value={draft.dailyCapUsd} onChange={(event) => change({ dailyCapUsd: event.target.value })} />}
          </FormField>
          <FormField label="Past its budget or cap" error={shownErrors.onExceed}>
            {(control) => (
              <select {...control} value={draft.onExceed} onChange={(event) => change({ onExceed: event.target.value === 'fail' ? 'fail' : 'ask' })}>
                <option value="ask">Ask me in Approvals before its next step</option>
                <option value="fail">Fail its next step</option>
              </select>
            )}
          </FormField>
        </div>
        <EnvRows rows={draft.env} errors={shownErrors} onChange={(env) => change({ env })} />
        <SecretRows rows={draft.secrets} names={secretNames} errors={shownErrors} onChange={(secrets) => change({ secrets })} />
        <div className="dialog-actions">
          {errorCount > 0 && (
            <p className="form-summary" aria-live="polite">
              {errorCount === 1 ? 'One field needs attention.' : `${errorCount} fields need attention.`}
            </p>
          )}
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Saving…' : isNew ? 'Create agent' : 'Save changes'}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
