import { usePhoton } from '../lib/app-context.js';
import { selectRunStep } from '../store/selectors.js';
import { useCanvasView } from '../canvas/canvas-context.js';
import { codeMark } from './workspace-words.js';
import './workspaces.css';

/**
 * On a run's step node: how many files the step changed and its +/- lines, a button to its diff;
 * "no code changes" for a step that changed nothing; nothing for a run without workspaces.
 */
export function StepCodeMark({ runId, step }: { runId: string; step: number }) {
  const { openDiff } = useCanvasView();
  const changes = usePhoton((s) => selectRunStep(runId, step)(s)?.workspace?.changes);
  const mark = codeMark(changes);
  if (!mark) return null;
  if (mark.kind === 'unchanged') return <span className="step-node-code unchanged">no code changes</span>;
  const words = `${mark.files} ${mark.files === 1 ? 'file' : 'files'}`;
  const counts = (
    <>
      <span>{words}</span>
      <span className="diff-added">+{mark.added}</span>
      <span className="diff-removed">−{mark.removed}</span>
    </>
  );
  // The editor's canvas shows a run's marks too, but its diffs are on the run's own page.
  if (!openDiff) {
    return (
      <span className="step-node-code changed">
        {counts}
      </span>
    );
  }
  return (
    <button
      type="button"
      className="step-node-code changed nodrag"
      aria-label={`Step ${step} changed ${words}, ${mark.added} lines added, ${mark.removed} removed: show its diff`}
      onClick={() => openDiff(step)}
    >
      {counts}
    </button>
  );
}
