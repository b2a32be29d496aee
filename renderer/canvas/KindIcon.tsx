import type { ReactElement } from 'react';
import { decisionKind, type StepKind } from './step-kind.js';

/*
 * Each decision kind's mark, drawn as SVG so it shows whatever fonts the machine has (several
 * symbol characters draw as empty boxes on a stock Linux desktop). A task step has none.
 */
const paths: Record<Exclude<StepKind, 'task'>, ReactElement> = {
  // A diamond, as flow charts draw a decision, holding a pause.
  gate: (
    <>
      <path d="M8 1.5 14.5 8 8 14.5 1.5 8Z" />
      <path d="M6.5 6v4M9.5 6v4" />
    </>
  ),
  // A workflow inside a box: two steps joined.
  workflow: (
    <>
      <rect x="1.5" y="2.5" width="13" height="11" rx="1.5" />
      <rect x="3.5" y="6" width="3" height="4" />
      <rect x="9.5" y="6" width="3" height="4" />
      <path d="M6.5 8h3" />
    </>
  ),
  // One line splitting into three.
  'fan-out': <path d="M1.5 8h4.5M6 8l7.5-5M6 8h7.5M6 8l7.5 5" />,
  // A finishing flag.
  race: (
    <>
      <path d="M3 15V1.5" />
      <path d="M3 2h10v7H3" />
      <path d="M5.5 2v3.5H8V2M10.5 5.5V9M8 5.5h5M5.5 5.5V9" />
    </>
  ),
};

/** `decorative` where the kind's name is written beside it (the palette). */
export function KindIcon({ kind, decorative = false }: { kind: StepKind; decorative?: boolean }) {
  const info = decisionKind(kind);
  if (kind === 'task' || !info) return null;
  return (
    <svg className="kind-icon" data-kind={kind} viewBox="0 0 16 16" width="14" height="14" {...(decorative ? { 'aria-hidden': true } : { role: 'img', 'aria-label': info.label })} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round">
      {!decorative && <title>{info.label}</title>}
      {paths[kind]}
    </svg>
  );
}
