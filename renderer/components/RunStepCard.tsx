import { useId } from 'react';
import { platformInfo } from '../../shared/platforms.js';
import { gatePlatform } from '../../shared/validate-conditions.js';
import { StepDecisionFacts } from '../canvas/StepDecisionFacts.js';
import { decisionKind, stepKind } from '../canvas/step-kind.js';
import type { RunStatus, StepState } from '../../shared/runs.js';
import type { RunOutputFeed } from '../lib/run-output-feed.js';
import { tokensText } from '../dashboard/tokens-text.js';
import { usePhoton } from '../lib/app-context.js';
import { formatUsd, formatWhen } from '../lib/format.js';
import { shownStepStatus } from '../lib/shown-status.js';
import { StepSession } from '../sessions/StepSession.js';
import { StepTerminalButton } from '../terminals/StepTerminalButton.js';
import { Duration } from './Duration.js';
import { SandboxShield } from './SandboxShield.js';
import { StatusBadge } from './StatusBadge.js';
import { StepOutput } from './StepOutput.js';

/** The card's element id, so the run canvas can bring a step's card into view. */
export const stepCardId = (step: number): string => `run-step-${step}`;

interface RunStepCardProps {
  runId: string;
  /** The run's status: a step of an interrupted run is shown interrupted, not pending. */
  runStatus: RunStatus;
  step: StepState;
  feed: RunOutputFeed;
}

/** The shield of a step as the run's workflow wrote it (its own sandbox, or its agent's). */
function RunStepShield({ runId, step }: { runId: string; step: number }) {
  const def = usePhoton((s) => s.runs.byId[runId]?.workflow.workflow.find((candidate) => candidate.step === step));
  return def ? <SandboxShield sandbox={def.sandbox} agentId={def.agent} /> : null;
}

export function RunStepCard({ runId, runStatus, step, feed }: RunStepCardProps) {
  const titleId = useId();
  const status = shownStepStatus(runStatus, step);
  const skipped = status === 'skipped' ? (step.skipped ?? 'dependency') : undefined;
  const gate = step.platform === gatePlatform;
  return (
    <li className={`step-card step-${status}${skipped ? ` skip-${skipped}` : ''}`} id={stepCardId(step.step)} data-skipped={skipped}>
      <section aria-labelledby={titleId}>
        <div className="step-head">
          <span className="step-number" aria-hidden="true">
            {step.step}
          </span>
          <h2 id={titleId} className="step-title">
            <span className="visually-hidden">Step {step.step}: </span>
            {step.title}
          </h2>
          <RunStepShield runId={runId} step={step.step} />
          <span className="platform">{decisionKind(stepKind({ platform: step.platform }))?.label ?? platformInfo(step.platform)?.label ?? step.platform}</span>
          <StatusBadge status={status} />
          {skipped && <span className="step-fact skip-reason">{skipped === 'condition' ? 'condition false' : 'after a failure'}</span>}
          <span className="step-fact">Attempts {step.attempts}</span>
          <span className="step-fact">
            Duration <Duration startedAt={step.startedAt} finishedAt={step.finishedAt} />
          </span>
          {step.exitCode !== null && <span className="step-fact">Exit code {step.exitCode}</span>}
          {step.costUsd !== null && <span className="step-fact">Cost {formatUsd(step.costUsd)}</span>}
          {step.tokens && <span className="step-fact">Tokens {tokensText(step.tokens)}</span>}
          {step.sessionId && (
            <span className="step-fact">
              Session <code>{step.sessionId}</code>
            </span>
          )}
          <StepTerminalButton runId={runId} step={step} />
        </div>
        {step.dependencies.length > 0 && <p className="step-deps">Depends on {step.dependencies.map((d) => `step ${d}`).join(', ')}</p>}
        {step.error && <p className={skipped ? 'step-deps skip-why' : 'step-error'}>{step.error}</p>}
        {/* Why a ready step waits is said just below, with its links. */}
        <StepDecisionFacts runId={runId} state={step} gate={gate} waiting={false} />
        {step.status === 'retrying' && step.nextAttemptAt && <p className="step-deps">Next attempt at {formatWhen(step.nextAttemptAt)}</p>}
        {step.status === 'pending' && step.waitingFor === 'budget' && (
          <p className="step-deps step-waiting" role="status">
            Waiting for your OK: a budget is reached. Approve or reject it in <a href="#/approvals">Approvals</a>.
          </p>
        )}
        {step.status === 'pending' && step.waitingFor === 'agent-cap' && (
          <p className="step-deps step-waiting" role="status">
            Waiting for a free agent slot: as many AI agents run as the cap allows (<a href="#/settings">Settings</a>).
          </p>
        )}
        <StepOutput runId={runId} step={step} feed={feed} />
        <StepSession runId={runId} step={step.step} />
      </section>
    </li>
  );
}
