import { memo, useEffect, useRef, useState } from 'react';
import type { RunStatus, StepState } from '../../shared/runs.js';
import type { RunOutputFeed } from '../lib/run-output-feed.js';
import { RunStepCard } from './RunStepCard.js';

/** Cards drawn at first and added each time the end of the list comes near. */
export const stepCardsPerPage = 40;

interface StepCardListProps {
  runId: string;
  runStatus: RunStatus;
  steps: readonly StepState[];
  feed: RunOutputFeed;
  /** A step whose card must be drawn now (picked on the canvas), however far down the list. */
  reveal: number | null;
}

/** A card renders again only when its own step (or the run's status) changed, not at every event of the run. */
const MemoCard = memo(RunStepCard);

/**
 * The run's step cards, drawn a page at a time: a run of 1,000 steps drew 1,000 cards, each with
 * its output and terminal button, before the page could show anything, and laid them all out
 * again as they changed. The next page comes as the end of the list scrolls near, or at once
 * with "Show all".
 */
export function StepCardList({ runId, runStatus, steps, feed, reveal }: StepCardListProps) {
  const [pages, setPages] = useState(1);
  const revealAt = reveal === null ? -1 : steps.findIndex((s) => s.step === reveal);
  const shown = Math.min(steps.length, Math.max(pages * stepCardsPerPage, revealAt + 1));
  const more = shown < steps.length;
  const endRef = useRef<HTMLLIElement>(null);

  useEffect(() => {
    const end = endRef.current;
    if (!more || !end || typeof IntersectionObserver !== 'function') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setPages((p) => Math.max(p, Math.ceil(shown / stepCardsPerPage)) + 1);
    }, { rootMargin: '1200px 0px' });
    observer.observe(end);
    return () => observer.disconnect();
  }, [more, shown]);

  return (
    <ol className="step-cards" aria-label="Steps">
      {steps.slice(0, shown).map((step) => (
        <MemoCard key={step.step} runId={runId} runStatus={runStatus} step={step} feed={feed} />
      ))}
      {more && (
        <li className="step-cards-more" ref={endRef}>
          <span>
            Showing {shown} of {steps.length} steps; more appear as you scroll.
          </span>{' '}
          <button type="button" className="button small" onClick={() => setPages(Math.ceil(steps.length / stepCardsPerPage))}>
            Show all {steps.length}
          </button>
        </li>
      )}
    </ol>
  );
}

