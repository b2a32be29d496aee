import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { platformInfo, platforms } from '../../shared/platforms.js';
import { stepTitle, type RetryPolicy, type WorkflowStep } from '../../shared/workflow.js';
import { usePhoton, useServices } from '../lib/app-context.js';
import { AgentField } from './AgentField.js';
import { HostStepField } from './HostStepField.js';
import { ConditionField, GateFields, OutputField, RaceFields, SubWorkflowFields } from './DecisionFields.js';
import { FanOutFields } from './FanOutFields.js';
import { Field, numberOrUndefined } from './InspectorField.js';
import { decisionKind, runsTool, stepKind } from './step-kind.js';
import { ancestorsByEdges, stepOf } from './graph-model.js';

/** The command or prompt, completing `{{steps.N.output}}` with the step's ancestors only. */
function WorkInput({ step, kind, error, ancestors }: { step: WorkflowStep; kind: 'command' | 'prompt'; error?: string; ancestors: number[] }) {
  const { store } = useServices();
  const value = typeof step.inputs[kind] === 'string' ? (step.inputs[kind] as string) : '';
  const area = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const listId = useId();

  const open = useMemo(() => {
    if (caret === null) return null;
    const before = value.slice(0, caret);
    const match = /\{\{\s*([\w.]*)$/.exec(before);
    if (!match) return null;
    const typed = match[1]!.toLowerCase();
    // Offered with each step's label, and found by it too: `{{pars` offers the Parse step's output.
    const labels = new Map(store.getState().canvas.nodes.map((n) => [stepOf(n), stepTitle(n.data.step)]));
    const options = [...ancestors.map((n) => ({ code: `{{steps.${n}.output}}`, label: labels.get(n) ?? `Step ${n}` })), ...ownValues(step)]
      .filter((o) => o.code.slice(2).startsWith(typed) || (typed !== '' && o.label.toLowerCase().includes(typed)));
    return options.length > 0 ? { start: caret - match[0].length, options } : null;
  }, [ancestors, caret, store, value]);

  const update = (text: string, nextCaret: number | null) => {
    store.getState().canvasUpdateStep(step.step, { inputs: { ...step.inputs, [kind]: text } }, `inputs.${kind}`);
    setCaret(nextCaret);
  };

  const pick = (option: string) => {
    if (!open || caret === null) return;
    const text = value.slice(0, open.start) + option + value.slice(caret);
    const at = open.start + option.length;
    update(text, null);
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(at, at);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => (i + (event.key === 'ArrowDown' ? 1 : open.options.length - 1)) % open.options.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      pick(open.options[Math.min(active, open.options.length - 1)]!.code);
    } else if (event.key === 'Escape') {
      event.stopPropagation();
      setCaret(null);
    }
  };

  return (
    <Field
      label={kind === 'command' ? 'Command' : 'Prompt'}
      error={error}
      hint={ancestors.length > 0 ? `Type {{ to use the output of step ${ancestors.join(', ')}.` : 'Connect a step into this one to use its output.'}
    >
      {(props) => (
        <div className="completion">
          <textarea
            {...props}
            ref={area}
            rows={4}
            spellCheck={false}
            value={value}
            role="combobox"
            aria-expanded={Boolean(open)}
            aria-controls={listId}
            aria-autocomplete="list"
            onChange={(event) => update(event.target.value, event.target.selectionStart)}
            onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
            onKeyDown={onKeyDown}
            onBlur={() => setTimeout(() => setCaret(null), 150)}
          />
          {open && (
            <ul className="completion-list" id={listId} role="listbox" aria-label="Outputs of earlier steps">
              {open.options.map((option, i) => (
                <li
                  key={option.code}
                  role="option"
                  aria-selected={i === active}
                  onMouseDown={(event) => {
                    event.preventDefault();
                    pick(option.code);
                  }}
                >
                  <span className="completion-code">{option.code}</span> <span className="completion-label">{option.label}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Field>
  );
}

/** What a fan-out's items and a race's winner put in its inputs, offered beside the earlier steps' outputs. */
function ownValues(step: WorkflowStep): { code: string; label: string }[] {
  return [
    ...(step.forEach !== undefined ? [{ code: '{{item}}', label: 'This item' }, { code: '{{index}}', label: 'Its number, from 0' }] : []),
    ...(step.race !== undefined ? [{ code: '{{race.output}}', label: 'The winner’s output' }, { code: '{{race.step}}', label: 'The winner’s number' }] : []),
  ];
}

function StepInspector({ step }: { step: WorkflowStep }) {
  const { store } = useServices();
  const edges = usePhoton((s) => s.canvas.edges);
  const ancestors = useMemo(() => ancestorsByEdges(edges, step.step), [edges, step.step]);
  const kind = stepKind(step);
  const tool = runsTool(kind);
  const problems = usePhoton((s) => s.canvas.issues.byStep[step.step]) ?? {};
  const runnable = usePhoton((s) => s.system?.runnablePlatforms);
  const set = (patch: Partial<WorkflowStep>, key?: string) => store.getState().canvasUpdateStep(step.step, patch, key);
  const input = platformInfo(step.platform)?.primaryInput ?? 'command';
  const retry: Partial<RetryPolicy> = step.retryPolicy ?? {};
  const setRetry = (field: keyof RetryPolicy, text: string) => {
    const next: Record<string, unknown> = { ...retry, [field]: numberOrUndefined(text) };
    if (next[field] === undefined) delete next[field];
    set({ retryPolicy: Object.keys(next).length > 0 ? (next as RetryPolicy) : undefined }, `retryPolicy.${field}`);
  };
  const retryError = (field: string) => problems[`retryPolicy.${field}`] ?? (field === 'maxAttempts' ? problems.retryPolicy : undefined);

  return (
    <form className="inspector-form" onSubmit={(event) => event.preventDefault()} aria-label={`Step ${step.step}`}>
      <h2 className="canvas-panel-title">Step {step.step}</h2>
      {problems.step && <p className="field-error" role="alert">{problems.step}</p>}
      <Field label="Label" error={problems.label}>
        {(props) => <input {...props} value={step.label ?? ''} onChange={(e) => set({ label: e.target.value || undefined }, 'label')} />}
      </Field>
      {decisionKind(kind) && <p className="field-hint inspector-kind">{decisionKind(kind)!.description}</p>}
      {tool && (
        <>
          <Field label="Platform" error={problems.platform}>
            {(props) => (
              <select {...props} value={step.platform} onChange={(e) => set({ platform: e.target.value })}>
                {platforms.map((p) => {
                  const enabled = runnable?.includes(p.id) ?? p.id === 'shell';
                  return (
                    <option key={p.id} value={p.id} disabled={!enabled && p.id !== step.platform}>
                      {p.label}
                      {enabled ? '' : ' (coming soon)'}
                    </option>
                  );
                })}
              </select>
            )}
          </Field>
          <AgentField step={step} error={problems.agent} onChange={(agent) => set({ agent }, 'agent')} />
          <HostStepField step={step} error={problems.host} onChange={(host) => set({ host }, 'host')} />
          <WorkInput step={step} kind={input} ancestors={ancestors} error={[problems[`inputs.${input}`], problems.inputs].filter(Boolean).join(' ') || undefined} />
          <Field label="Working folder" error={problems.cwd} hint="Relative folders start from your home folder.">
            {(props) => <input {...props} value={step.cwd ?? ''} onChange={(e) => set({ cwd: e.target.value || undefined }, 'cwd')} />}
          </Field>
        </>
      )}
      {kind === 'gate' && <GateFields step={step} problems={problems} set={set} />}
      {kind === 'workflow' && <SubWorkflowFields step={step} problems={problems} set={set} />}
      <ConditionField step={step} ancestors={ancestors} problems={problems} set={set} />
      {tool && <OutputField step={step} problems={problems} set={set} />}
      {tool && <FanOutFields step={step} ancestors={ancestors} problems={problems} set={set} />}
      {tool && (kind === 'race' || step.dependencies.length >= 2) && <RaceFields step={step} problems={problems} set={set} />}
      <Field label="Timeout (ms)" error={problems.timeout} hint={kind === 'gate' ? 'Unanswered for this long, the gate times out.' : undefined}>
        {(props) => <input {...props} type="number" inputMode="numeric" value={step.timeout ?? ''} onChange={(e) => set({ timeout: numberOrUndefined(e.target.value) }, 'timeout')} />}
      </Field>
      {tool && (
        <fieldset className="inspector-group">
          <legend>Retry policy</legend>
          <Field label="Maximum attempts" error={retryError('maxAttempts')}>
            {(props) => <input {...props} type="number" value={retry.maxAttempts ?? ''} placeholder="1" onChange={(e) => setRetry('maxAttempts', e.target.value)} />}
          </Field>
          <Field label="First wait (ms)" error={retryError('initialIntervalMs')}>
            {(props) => <input {...props} type="number" value={retry.initialIntervalMs ?? ''} placeholder="1000" onChange={(e) => setRetry('initialIntervalMs', e.target.value)} />}
          </Field>
          <Field label="Backoff coefficient" error={retryError('backoffCoefficient')}>
            {(props) => <input {...props} type="number" step="0.1" value={retry.backoffCoefficient ?? ''} placeholder="2" onChange={(e) => setRetry('backoffCoefficient', e.target.value)} />}
          </Field>
          <Field label="Longest wait (ms)" error={retryError('maxIntervalMs')}>
            {(props) => <input {...props} type="number" value={retry.maxIntervalMs ?? ''} placeholder="30000" onChange={(e) => setRetry('maxIntervalMs', e.target.value)} />}
          </Field>
        </fieldset>
      )}
      <div className="inspector-check">
        <input id={`cof-${step.step}`} type="checkbox" checked={step.continueOnFailure} onChange={(e) => set({ continueOnFailure: e.target.checked })} />
        <label htmlFor={`cof-${step.step}`}>Continue when this step fails</label>
      </div>
      {problems.dependencies && <p className="field-error" role="alert">{problems.dependencies}</p>}
    </form>
  );
}

function WorkflowInspector() {
  const { store } = useServices();
  const name = usePhoton((s) => s.canvas.meta.name);
  const description = usePhoton((s) => s.canvas.meta.description as string | undefined);
  const general = usePhoton((s) => s.canvas.issues.general);
  return (
    <form className="inspector-form" onSubmit={(event) => event.preventDefault()} aria-label="Workflow">
      <h2 className="canvas-panel-title">Workflow</h2>
      <Field label="Name" error={general.find((g) => g.startsWith('name'))}>
        {(props) => <input {...props} value={name} onChange={(e) => store.getState().canvasSetMeta({ name: e.target.value }, 'name')} />}
      </Field>
      <Field label="Description">
        {(props) => <textarea {...props} rows={3} value={description ?? ''} onChange={(e) => store.getState().canvasSetMeta({ description: e.target.value || undefined }, 'description')} />}
      </Field>
      {general
        .filter((g) => !g.startsWith('name'))
        .map((g) => (
          <p key={g} className="field-error" role="alert">
            {g}
          </p>
        ))}
      <p className="field-hint">Select a step to edit it. Drag from a step’s right handle to another’s left handle to make the second depend on the first.</p>
    </form>
  );
}

/** Edits the one selected step, or the workflow itself when no single step is selected. */
export function Inspector() {
  const selected = usePhoton(useShallow((s) => s.canvas.nodes.filter((n) => n.selected).map(stepOf)));
  const step = usePhoton((s) => (selected.length === 1 ? s.canvas.nodes.find((n) => stepOf(n) === selected[0])?.data.step : undefined));
  return (
    <aside className="canvas-inspector" aria-label="Inspector">
      {step ? <StepInspector key={step.step} step={step} /> : selected.length > 1 ? <p className="field-hint">{selected.length} steps selected.</p> : <WorkflowInspector />}
    </aside>
  );
}
