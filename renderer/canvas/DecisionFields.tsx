import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { namedReferences } from '../../shared/template.js';
import { stepTitle, type WorkflowStep } from '../../shared/workflow.js';
import { usePhoton, useServices } from '../lib/app-context.js';
import { stepOf } from './graph-model.js';
import { Field } from './InspectorField.js';

/*
 * The inspector's editors of the decisions: a gate's question, a sub-workflow's workflow and the
 * inputs it passes, a race's members, and any step's condition. Each shows the engine's message
 * for its own field (`workflow[2].race` lands under the race's boxes).
 */

interface FieldsProps {
  step: WorkflowStep;
  problems: Record<string, string>;
  set(patch: Partial<WorkflowStep>, key?: string): void;
}

const joined = (...messages: (string | undefined)[]): string | undefined => messages.filter(Boolean).join(' ') || undefined;

export function GateFields({ step, problems, set }: FieldsProps) {
  const message = typeof step.inputs.message === 'string' ? step.inputs.message : '';
  return (
    <Field
      label="Question"
      error={joined(problems['inputs.message'], problems.inputs)}
      hint="What the person approves; {{steps.N.output}} works here. It waits in Approvals and on the run’s canvas; Reject skips the steps after it."
    >
      {(props) => <textarea {...props} rows={3} value={message} onChange={(e) => set({ inputs: { ...step.inputs, message: e.target.value } }, 'inputs.message')} />}
    </Field>
  );
}

/**
 * The `{{inputs.NAME}}` the saved workflow `target` (an id or a name) reads, once read from the
 * engine; null while unknown (none chosen, not saved here, or still on its way).
 */
function useInputsRead(target: string): string[] | null {
  const { client } = useServices();
  const id = usePhoton((s) => s.workflows.list.find((w) => w.id === target || w.name === target)?.id);
  const [read, setRead] = useState<{ id: string; names: string[] } | null>(null);
  useEffect(() => {
    if (!id) return;
    let current = true;
    client.call('workflows.get', { id }).then(
      (saved) => {
        if (current) setRead({ id, names: namedReferences(saved.workflow.workflow.map((s) => s.inputs)).inputs });
      },
      // Unreadable now (deleted meanwhile): the run's own check names the problem.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client, id]);
  return id && read?.id === id ? read.names : null;
}

/** The saved workflow it runs, by name (as portable as the file), and the inputs passed through to that run. */
export function SubWorkflowFields({ step, problems, set }: FieldsProps) {
  const here = usePhoton((s) => s.canvas.workflowId);
  const names = usePhoton(useShallow((s) => s.workflows.list.filter((w) => w.id !== here).map((w) => w.name)));
  const target = typeof step.inputs.workflow === 'string' ? step.inputs.workflow : '';
  const { workflow: _target, ...passed } = step.inputs;
  const setPassed = (entries: [string, unknown][]) => set({ inputs: { workflow: target, ...Object.fromEntries(entries) } }, 'inputs.passed');
  const entries = Object.entries(passed);
  const read = useInputsRead(target);
  const missing = read?.filter((name) => !Object.hasOwn(passed, name)) ?? [];
  return (
    <>
      <Field label="Workflow" error={joined(problems['inputs.workflow'], problems.platform)} hint="A saved workflow; it runs as a child run of this one.">
        {(props) => (
          <select {...props} value={target} onChange={(e) => set({ inputs: { ...step.inputs, workflow: e.target.value } })}>
            <option value="">Choose a workflow…</option>
            {target !== '' && !names.includes(target) && <option value={target}>{target} (not saved here)</option>}
            {names.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset className="inspector-group">
        <legend>Inputs passed to it</legend>
        {entries.map(([name, value], index) => (
          <div className="input-row" key={index}>
            <input
              aria-label={`Name of input ${index + 1}`}
              value={name}
              placeholder="name"
              onChange={(e) => setPassed(entries.map((entry, i) => (i === index ? [e.target.value, entry[1]] : entry)))}
            />
            <input
              aria-label={`Value of input ${index + 1}`}
              value={typeof value === 'string' ? value : JSON.stringify(value)}
              placeholder="value or {{steps.N.output}}"
              onChange={(e) => setPassed(entries.map((entry, i) => (i === index ? [entry[0], e.target.value] : entry)))}
            />
            <button type="button" className="link-button" aria-label={`Remove input ${name || index + 1}`} onClick={() => setPassed(entries.filter((_, i) => i !== index))}>
              ✕
            </button>
          </div>
        ))}
        {problems.inputs && (
          <p className="field-error" role="alert">
            {problems.inputs}
          </p>
        )}
        {read && (
          <p className={missing.length > 0 ? 'field-error' : 'field-hint'} role={missing.length > 0 ? 'alert' : undefined}>
            {read.length === 0
              ? 'It reads no inputs.'
              : missing.length > 0
                ? `It reads ${missing.map((n) => `{{inputs.${n}}}`).join(', ')}, not passed yet.`
                : `It reads ${read.map((n) => `{{inputs.${n}}}`).join(', ')}.`}
          </p>
        )}
        <div className="input-row-actions">
          {missing.map((name) => (
            <button key={name} type="button" className="button small" onClick={() => setPassed([...entries, [name, '']])}>
              Add {name}
            </button>
          ))}
          <button type="button" className="button small" onClick={() => setPassed([...entries, [`input${entries.length + 1}`, '']])}>
            Add input
          </button>
        </div>
      </fieldset>
    </>
  );
}

/** Which of its dependencies race: the first of them to succeed starts this step and the others are cancelled. */
export function RaceFields({ step, problems, set }: FieldsProps) {
  const titles = usePhoton(useShallow((s) => step.dependencies.map((d) => {
    const node = s.canvas.nodes.find((n) => stepOf(n) === d);
    return node ? stepTitle(node.data.step) : `Step ${d}`;
  })));
  const race = step.race;
  const choose = (member: number, chosen: boolean) => {
    const next = new Set(race ?? []);
    if (chosen) next.add(member);
    else next.delete(member);
    set({ race: [...next].sort((a, b) => a - b) });
  };
  return (
    <fieldset className="inspector-group race-fields" aria-describedby={problems.race ? `race-error-${step.step}` : undefined}>
      <legend>Race</legend>
      <div className="inspector-check">
        <input id={`race-${step.step}`} type="checkbox" checked={race !== undefined} onChange={(e) => set({ race: e.target.checked ? [...step.dependencies] : undefined })} />
        <label htmlFor={`race-${step.step}`}>Start with the first to succeed</label>
      </div>
      {race !== undefined && (
        <>
          {step.dependencies.length < 2 && <p className="field-hint">Connect two or more steps into this one: they are what races.</p>}
          {step.dependencies.map((d, index) => (
            <div className="inspector-check" key={d}>
              <input id={`race-${step.step}-${d}`} type="checkbox" checked={race.includes(d)} aria-invalid={Boolean(problems.race)} onChange={(e) => choose(d, e.target.checked)} />
              <label htmlFor={`race-${step.step}-${d}`}>
                Step {d}: {titles[index]}
              </label>
            </div>
          ))}
          {problems.race ? (
            <p className="field-error" id={`race-error-${step.step}`} role="alert">
              {problems.race}
            </p>
          ) : (
            <p className="field-hint">{'{{race.output}}'} is the winner’s output, {'{{race.step}}'} its number; the others are cancelled.</p>
          )}
        </>
      )}
    </fieldset>
  );
}

/** The step's `when`: drawn on the edges into it, skipped (with its reason) when false. */
export function ConditionField({ step, ancestors, problems, set }: FieldsProps & { ancestors: readonly number[] }) {
  const example = `steps.${ancestors.at(-1) ?? 1}.status == "succeeded"`;
  return (
    <Field
      label="Run only when"
      error={problems.when}
      hint={ancestors.length > 0 ? `An expression over the steps before it, e.g. ${example}. Empty: it always runs.` : 'Connect a step into this one to make it depend on that step’s result.'}
    >
      {(props) => <textarea {...props} rows={2} spellCheck={false} value={step.when ?? ''} placeholder={example} onChange={(e) => set({ when: e.target.value === '' ? undefined : e.target.value }, 'when')} />}
    </Field>
  );
}

/** Whether its output is read as JSON: what lets a condition or a fan-out after it read a field of it. */
export function OutputField({ step, problems, set }: FieldsProps) {
  return (
    <Field
      label="Its output"
      error={joined(problems.output, problems.outputSchema)}
      hint={step.output === 'json' ? `Later steps read it as {{steps.${step.step}.json.FIELD}}; output that is not JSON fails the step.` : undefined}
    >
      {(props) => (
        <select {...props} value={step.output ?? 'text'} onChange={(e) => set({ output: e.target.value === 'json' ? 'json' : undefined })}>
          <option value="text">Text</option>
          <option value="json">JSON</option>
        </select>
      )}
    </Field>
  );
}
