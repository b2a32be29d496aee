import type { MetricsSnapshot } from '../../shared/metrics.js';
import { usePhoton } from '../lib/app-context.js';
import { formatUsd } from '../lib/format.js';
import { formatCount, formatRate } from './format-metrics.js';
import { tokensText } from './tokens-text.js';

interface CardSpec {
  id: string;
  label: string;
  /** Primitive strings, so a card re-renders only when its own text changes. */
  value(snapshot: MetricsSnapshot): string;
  note?(snapshot: MetricsSnapshot): string | null;
}

const cards: CardSpec[] = [
  {
    id: 'runs-running',
    label: 'Runs running',
    value: (s) => String(s.active.runs),
    note: (s) => `${s.today.runsStarted} started today`,
  },
  { id: 'steps-running', label: 'Steps running', value: (s) => String(s.active.steps) },
  { id: 'agents-busy', label: 'Agents busy', value: (s) => String(s.active.agentsBusy), note: () => 'shell steps are not agents' },
  {
    id: 'steps-waiting',
    label: 'Waiting for input',
    value: (s) => (s.waitingDetection ? String(s.active.stepsWaitingForInput) : '—'),
    note: (s) => (s.waitingDetection ? 'steps asking a question' : 'not detected on this system'),
  },
  {
    id: 'success-today',
    label: 'Success rate today',
    value: (s) => formatRate(s.today.successRate),
    note: (s) => {
      const ended = s.today.runsSucceeded + s.today.runsFailed;
      return ended === 0 ? 'no run ended today' : `${s.today.runsSucceeded} of ${ended} ended runs succeeded`;
    },
  },
  {
    id: 'cost-today',
    label: 'Cost today',
    value: (s) => formatUsd(s.today.costUsd),
    note: () => 'as the tools reported it',
  },
  {
    id: 'tokens-today',
    label: 'Tokens today',
    value: (s) => formatCount(s.today.inputTokens + s.today.outputTokens),
    note: (s) => tokensText({ input: s.today.inputTokens, output: s.today.outputTokens, cacheRead: s.today.cacheReadTokens, cacheWrite: s.today.cacheWriteTokens }),
  },
];

/** The live numbers: each card listens to its own value, so a tick redraws only what changed. */
export function MetricCards() {
  return (
    <ul className="metric-cards" aria-label="Live numbers">
      {cards.map((card) => (
        <MetricCard key={card.id} card={card} />
      ))}
    </ul>
  );
}

function MetricCard({ card }: { card: CardSpec }) {
  const value = usePhoton((s) => (s.metrics.snapshot ? card.value(s.metrics.snapshot) : '—'));
  const note = usePhoton((s) => (s.metrics.snapshot && card.note ? card.note(s.metrics.snapshot) : null));
  return (
    <li className="metric-card" data-metric={card.id}>
      <span className="metric-label">{card.label}</span>
      <span className="metric-value">{value}</span>
      {note && <span className="metric-note">{note}</span>}
    </li>
  );
}
