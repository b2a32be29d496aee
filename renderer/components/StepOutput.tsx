import { useEffect, useRef } from 'react';
import { isFinalStepStatus, type StepDetail, type StepState } from '../../shared/runs.js';
import { skipWords } from '../canvas/decision-words.js';
import { useServices } from '../lib/app-context.js';
import type { RunOutputFeed } from '../lib/run-output-feed.js';

interface StepOutputProps {
  runId: string;
  step: StepState;
  feed: RunOutputFeed;
}

function placeholder(step: StepState): string {
  if (step.status === 'pending') return step.dependencies.length > 0 ? 'Waiting for the steps it depends on…' : 'Waiting to start…';
  if (step.status === 'skipped') return skipWords(step.skipped).long;
  if (step.status === 'running' || step.status === 'retrying') return 'Waiting for output…';
  return 'No output.';
}

/** The stored tails of a step's attempts, with a divider between attempts. */
function historyText(detail: StepDetail): string {
  const attempts = detail.attemptHistory.filter((a) => a.tail !== '');
  if (attempts.length <= 1) return attempts[0]?.tail ?? '';
  return attempts.map((a) => `── attempt ${a.attempt} ──\n${a.tail}`).join('\n');
}

/**
 * A step's output tail. Text goes straight into the element (not through React state), at most
 * once a frame, and the view stays pinned to the end unless the user scrolled up to read.
 */
export function StepOutput({ runId, step, feed }: StepOutputProps) {
  const { actions } = useServices();
  const ref = useRef<HTMLPreElement>(null);
  const placeholderText = placeholder(step);
  const placeholderRef = useRef(placeholderText);
  placeholderRef.current = placeholderText;

  useEffect(() => {
    let frame = 0;
    const render = () => {
      frame = 0;
      const element = ref.current;
      if (!element) return;
      const pinned = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
      const text = feed.text(step.step);
      element.textContent = text === '' ? placeholderRef.current : text;
      element.classList.toggle('is-empty', text === '');
      if (pinned) element.scrollTop = element.scrollHeight;
    };
    render();
    const unsubscribe = feed.subscribe(step.step, () => {
      frame ||= requestAnimationFrame(render);
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [feed, step.step]);

  // The placeholder follows the status while nothing has been written.
  useEffect(() => {
    const element = ref.current;
    if (element && feed.text(step.step) === '') element.textContent = placeholderText;
  }, [feed, step.step, placeholderText]);

  // Output written before this view opened (or missed while the link was down) comes from storage.
  const { status, output, attempts } = step;
  useEffect(() => {
    if (attempts === 0 || !feed.needsSeed(step.step)) return;
    if (isFinalStepStatus(status) && output) {
      feed.seed(step.step, output);
      return;
    }
    let current = true;
    void actions.stepDetail(runId, step.step).then((detail) => {
      if (!current || !detail) return;
      const text = historyText(detail);
      if (text !== '') feed.seed(step.step, text);
    });
    return () => {
      current = false;
    };
  }, [actions, feed, runId, step.step, status, output, attempts]);

  return <pre ref={ref} className="output" role="log" aria-live="off" aria-label={`Output of step ${step.step}`} tabIndex={0} />;
}
