import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { platformInfo } from '../../shared/platforms.js';
import type { StepState } from '../../shared/runs.js';
import { stepTitle } from '../../shared/workflow.js';
import { Duration } from '../components/Duration.js';
import { SandboxShield } from '../components/SandboxShield.js';
import { usePhoton } from '../lib/app-context.js';
import { selectRunStep } from '../store/selectors.js';
import { routeHref } from '../lib/route.js';
import { shownStepStatus } from '../lib/shown-status.js';
import { statusIcon, statusLabel } from '../lib/status.js';
import { StepTerminalButton } from '../terminals/StepTerminalButton.js';
import { StepCodeMark } from '../workspaces/StepCodeMark.js';
import { useCanvasView } from './canvas-context.js';
import type { StepNode } from './graph-model.js';
import { rememberRunToShow } from './run-to-show.js';
import { skipWords } from './decision-words.js';
import { KindIcon } from './KindIcon.js';
import { StepDecisionFacts } from './StepDecisionFacts.js';
import { decisionKind, kindLine, stepKind } from './step-kind.js';
import './step-node-extras.css';
import './decisions.css';

/**
 * Why a step failed, in a line: the engine's reason, unless it only repeats the exit code shown
 * beside it; then the last line the step printed (usually the error it wrote).
 */
export function failureReason(state: Pick<StepState, 'error' | 'output'>): string {
  const generic = !state.error || /^exited with code -?\d+$/.test(state.error);
  const lastLine = state.output?.trim().split('\n').at(-1)?.trim();
  return (generic ? lastLine || state.error : state.error) ?? '';
}

/** On a run's page: to the workflow's editor, showing this run, where the failed step can be fixed and retried. */
function EditAndRetry({ runId }: { runId: string }) {
  const workflowId = usePhoton((s) => {
    const id = s.runs.byId[runId]?.workflowId;
    return id && s.workflows.list.some((w) => w.id === id) ? id : null;
  });
  if (!workflowId) return null;
  return (
    <div className="step-node-actions step-node-run-actions nodrag">
      <a className="step-node-retry" href={routeHref({ view: 'workflow', id: workflowId })} onClick={() => rememberRunToShow(workflowId, runId)}>
        ✎ Edit and retry
      </a>
    </div>
  );
}

/** A sub-workflow's target as the user knows it: a saved workflow's name for its id, else as written. */
function useWorkflowName(target: unknown): string {
  const text = typeof target === 'string' ? target.trim() : '';
  return usePhoton((s) => (text ? (s.workflows.list.find((w) => w.id === text)?.name ?? text) : ''));
}

/**
 * One step on the canvas. Memoised: xyflow re-renders a node only when its own node object
 * changes, and the run state and problems it shows are read by narrow selectors.
 */
function StepNodeViewInner({ data, selected }: NodeProps<StepNode>) {
  const { step } = data;
  const { runId, readOnly, openOutput, runSteps } = useCanvasView();
  // A run's canvas shows what ran; the editor's checks are about the draft, not this run.
  const problems = usePhoton((s) => (readOnly ? undefined : s.canvas.issues.byStep[step.step]));
  const state = usePhoton((s) => (runId ? selectRunStep(runId, step.step)(s) : undefined));
  const problemCount = problems ? Object.keys(problems).length : 0;
  const runStatus = usePhoton((s) => (runId ? s.runs.byId[runId]?.status : undefined));
  const status = state ? shownStepStatus(runStatus, state) : undefined;
  const failed = status === 'failed' || status === 'timed_out';
  const canRun = !readOnly && runSteps !== undefined;
  const kind = stepKind(step);
  const workflowName = useWorkflowName(kind === 'workflow' ? step.inputs.workflow : undefined);
  const skipped = status === 'skipped' ? (state?.skipped ?? 'dependency') : undefined;
  const statusText = skipped ? skipWords(skipped).short : status ? statusLabel(status) : '';
  const kindName = decisionKind(kind)?.label.toLowerCase();

  return (
    <div
      className={`step-node kind-${kind}${selected ? ' selected' : ''}${problemCount > 0 ? ' invalid' : ''}${status ? ` status-${status}` : ''}${skipped ? ` skip-${skipped}` : ''}${readOnly ? ' read-only' : ''}`}
      data-step={step.step}
      data-kind={kind}
      data-status={status}
      data-skipped={skipped}
      aria-label={`Step ${step.step}${kindName ? ` (${kindName})` : ''}: ${stepTitle(step)}${step.when?.trim() ? `, runs only if ${step.when}` : ''}${status ? `, ${statusText}` : ''}`}
    >
      <Handle type="target" position={Position.Left} className="step-handle" isConnectable={!readOnly} aria-label={`Input of step ${step.step}`} />
      <div className="step-node-head">
        <span className="step-node-number">{step.step}</span>
        <KindIcon kind={kind} />
        <span className="step-node-title">{stepTitle(step)}</span>
        <SandboxShield sandbox={step.sandbox} agentId={step.agent} />
        {problemCount > 0 && (
          <span className="step-node-problem" title={Object.values(problems!).join('\n')} role="img" aria-label={`${problemCount} problem${problemCount === 1 ? '' : 's'}`}>
            ⚠
          </span>
        )}
      </div>
      <div className="step-node-meta" title={step.when ? `Runs only if ${step.when}` : undefined}>
        {kindLine(step, platformInfo(step.platform)?.label ?? step.platform, () => workflowName)}
      </div>
      {state && (
        <div className="step-node-run">
          <span className="step-node-status" data-status={status}>
            <span aria-hidden="true">{statusIcon(status!)}</span> {statusText}
          </span>
          {state.attempts > 0 && (
            <span className="step-node-attempts">
              {state.attempts} {state.attempts === 1 ? 'attempt' : 'attempts'}
            </span>
          )}
          <Duration startedAt={state.startedAt} finishedAt={state.finishedAt} />
        </div>
      )}
      {state && runId && <StepDecisionFacts runId={runId} state={state} gate={kind === 'gate'} />}
      {state?.workspace && runId && <StepCodeMark runId={runId} step={step.step} />}
      {failed && state && (
        <p className="step-node-failure" title={[state.error, state.output].filter(Boolean).join('\n') || undefined}>
          {state.exitCode !== null && <span className="step-node-exit">exit {state.exitCode}</span>}
          <span className="step-node-reason">{failureReason(state)}</span>
        </p>
      )}
      {status === 'cancelled' && state?.error && state.error !== 'cancelled' && (
        // Why, when it was not the user's Cancel: "lost the race to step 2", "cancelled with 3 of 8 items succeeded".
        <p className="step-node-note" title={state.error}>
          {state.error}
        </p>
      )}
      {readOnly && failed && runId && <EditAndRetry runId={runId} />}
      {canRun && (failed || selected) && (
        <div className="step-node-actions step-node-run-actions nodrag">
          <button type="button" className={failed ? 'step-node-retry' : undefined} onClick={() => runSteps(step.step, 'only')} aria-label={`${failed ? 'Retry with my edit' : 'Run alone'}: step ${step.step}`}>
            {failed ? '↻ Retry with my edit' : '▶ Run alone'}
          </button>
          {selected && (
            <button type="button" onClick={() => runSteps(step.step, 'from')} aria-label={`Run from step ${step.step} on`}>
              ▶ From here
            </button>
          )}
        </div>
      )}
      {state && state.attempts > 0 && runId && (
        <div className="step-node-actions nodrag">
          <button type="button" className="step-node-output" aria-label={`Show output of step ${step.step}`} onClick={() => openOutput(step.step)}>
            Output
          </button>
          <StepTerminalButton runId={runId} step={state} />
        </div>
      )}
      <Handle type="source" position={Position.Right} className="step-handle" isConnectable={!readOnly} aria-label={`Output of step ${step.step}`} />
    </div>
  );
}

export const StepNodeView = memo(StepNodeViewInner);
