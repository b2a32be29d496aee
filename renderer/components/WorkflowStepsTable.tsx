import { platformInfo } from '../../shared/platforms.js';
import { stepTitle, type WorkflowStep } from '../../shared/workflow.js';
import { kindLine, stepKind } from '../canvas/step-kind.js';

/** What a step does: its command for a shell, its prompt for an AI tool, a gate's question, a sub-workflow's workflow. */
function stepWork(step: WorkflowStep): { kind: string; text: string } {
  const kind = stepKind(step);
  if (kind === 'gate') return { kind: 'Question', text: String(step.inputs.message ?? '') };
  if (kind === 'workflow') return { kind: 'Workflow', text: String(step.inputs.workflow ?? '') };
  const primary = platformInfo(step.platform)?.primaryInput ?? 'command';
  const value = step.inputs[primary] ?? step.inputs.command ?? step.inputs.prompt;
  return { kind: primary === 'command' ? 'Command' : 'Prompt', text: typeof value === 'string' ? value : JSON.stringify(value ?? '') };
}

export function WorkflowStepsTable({ steps }: { steps: WorkflowStep[] }) {
  return (
    <table className="steps-table">
      <caption>Steps</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Step</th>
          <th scope="col">Platform</th>
          <th scope="col">Command or prompt</th>
          <th scope="col">Depends on</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((step) => {
          const work = stepWork(step);
          return (
            <tr key={step.step}>
              <td className="step-number-cell">{step.step}</td>
              <th scope="row">{stepTitle(step)}</th>
              <td>{kindLine(step, platformInfo(step.platform)?.label ?? step.platform)}</td>
              <td>
                <span className="visually-hidden">{work.kind}: </span>
                <code className="command">{work.text}</code>
              </td>
              <td>
                {step.dependencies.length === 0 ? <span className="muted">none</span> : step.dependencies.map((d) => `step ${d}`).join(', ')}
                {step.when?.trim() && (
                  <>
                    {'; only if '}
                    <code className="command">{step.when}</code>
                  </>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
