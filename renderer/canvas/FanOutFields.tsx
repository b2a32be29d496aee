import { useMemo, useState } from 'react';
import { stepTitle, type WorkflowStep } from '../../shared/workflow.js';
import { usePhoton } from '../lib/app-context.js';
import { forEachSource, listFromText, stepListTemplate } from './fan-out-source.js';
import { stepOf } from './graph-model.js';
import { Field, numberOrUndefined } from './InspectorField.js';

interface FanOutFieldsProps {
  step: WorkflowStep;
  /** The steps it runs after, directly or not: where a list may come from. */
  ancestors: readonly number[];
  problems: Record<string, string>;
  set(patch: Partial<WorkflowStep>, key?: string): void;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Turns a tool step into a fan-out and edits it: where its items come from (a list written here,
 * or an earlier step's JSON list, picked by step and path) and how many run at once. What is typed
 * is kept while it is half written (an unclosed `[`, a path ending in `.`); the step changes once
 * it means something.
 */
export function FanOutFields({ step, ancestors, problems, set }: FanOutFieldsProps) {
  // As text, so moving a node (a new nodes array at every frame of a drag) does not render this.
  const earlierText = usePhoton((s) =>
    JSON.stringify(
      s.canvas.nodes.filter((n) => ancestors.includes(stepOf(n))).map((n) => ({ step: stepOf(n), title: stepTitle(n.data.step), json: n.data.step.output === 'json' })),
    ),
  );
  const earlier = useMemo(() => JSON.parse(earlierText) as { step: number; title: string; json: boolean }[], [earlierText]);
  const [listDraft, setListDraft] = useState<string | null>(null);
  const [pathDraft, setPathDraft] = useState<string | null>(null);
  const forEach = step.forEach;
  const on = forEach !== undefined;
  const source = on ? forEachSource(forEach) : null;

  let listError: string | undefined;
  let listShown = source?.mode === 'list' ? source.text : '';
  if (source?.mode === 'list' && listDraft !== null) {
    const parsed = listFromText(listDraft);
    if (!parsed.ok) {
      listShown = listDraft;
      listError = parsed.message;
    } else if (sameJson(parsed.items, forEach)) {
      listShown = listDraft;
    }
  }
  const pathShown =
    source?.mode === 'step' && pathDraft !== null && source.step !== null && stepListTemplate(source.step, pathDraft) === forEach ? pathDraft : source?.mode === 'step' ? source.path : '';

  const setForEach = (value: WorkflowStep['forEach'], key?: string) => set({ forEach: value }, key);
  const chooseMode = (mode: string) => {
    setListDraft(null);
    setPathDraft(null);
    if (mode === 'list') setForEach([]);
    else if (mode === 'step') setForEach(stepListTemplate((earlier.find((e) => e.json) ?? earlier[0])!.step, ''));
  };

  return (
    <fieldset className="inspector-group fan-out-fields">
      <legend>Fan-out</legend>
      <div className="inspector-check">
        <input
          id={`fan-out-${step.step}`}
          type="checkbox"
          checked={on}
          onChange={(e) => {
            setListDraft(null);
            set(e.target.checked ? { forEach: [] } : { forEach: undefined, maxParallel: undefined });
          }}
        />
        <label htmlFor={`fan-out-${step.step}`}>Run once per item</label>
      </div>
      {source && (
        <>
          <Field label="Items from" hint={earlier.length === 0 ? 'Connect a step into this one to use its JSON list.' : undefined}>
            {(props) => (
              <select {...props} value={source.mode} onChange={(e) => chooseMode(e.target.value)}>
                <option value="list">A list written here</option>
                <option value="step" disabled={earlier.length === 0}>
                  An earlier step’s JSON output
                </option>
                {source.mode === 'template' && <option value="template">A template, as written</option>}
              </select>
            )}
          </Field>
          {source.mode === 'list' && (
            <Field label="Items" error={listError ?? problems.forEach} hint="One item a line, or a JSON list.">
              {(props) => (
                <textarea
                  {...props}
                  rows={4}
                  spellCheck={false}
                  value={listShown}
                  onChange={(e) => {
                    setListDraft(e.target.value);
                    const parsed = listFromText(e.target.value);
                    if (parsed.ok && !sameJson(parsed.items, forEach)) setForEach(parsed.items, 'forEach');
                  }}
                />
              )}
            </Field>
          )}
          {source.mode === 'step' && (
            <>
              <Field label="Step" error={problems.forEach}>
                {(props) => (
                  <select {...props} value={source.step ?? ''} onChange={(e) => setForEach(stepListTemplate(Number(e.target.value), pathShown))}>
                    {source.step !== null && !earlier.some((e) => e.step === source.step) && <option value={source.step}>Step {source.step} (not before this one)</option>}
                    {earlier.map((e) => (
                      <option key={e.step} value={e.step}>
                        Step {e.step}: {e.title}
                        {e.json ? '' : ' (not JSON output)'}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Path to the list in its JSON" hint={`Empty: its whole output is the list. ${typeof forEach === 'string' ? forEach : ''}`}>
                {(props) => (
                  <input
                    {...props}
                    value={pathShown}
                    placeholder="files"
                    spellCheck={false}
                    onChange={(e) => {
                      setPathDraft(e.target.value);
                      if (source.step !== null) setForEach(stepListTemplate(source.step, e.target.value), 'forEach');
                    }}
                  />
                )}
              </Field>
            </>
          )}
          {source.mode === 'template' && (
            <Field label="Items template" error={problems.forEach}>
              {(props) => <input {...props} value={source.text} spellCheck={false} onChange={(e) => setForEach(e.target.value, 'forEach')} />}
            </Field>
          )}
          <Field label="At most at once" error={problems.maxParallel} hint="Empty: as many as the run allows. Use {{item}} and {{index}} in its inputs; its output is the list of the items’ outputs.">
            {(props) => <input {...props} type="number" min={1} value={step.maxParallel ?? ''} placeholder="all" onChange={(e) => set({ maxParallel: numberOrUndefined(e.target.value) }, 'maxParallel')} />}
          </Field>
        </>
      )}
    </fieldset>
  );
}
