/**
 * How long a step's process runs before its identity is written (see AttemptRunner's
 * recordProcess). Tests that count what a step costs set it out of reach; nothing else changes it.
 */
export const processRecording = { afterMs: process.platform === 'linux' ? 500 : 0 };

interface Due {
  at: number;
  record: () => void;
  /** Cancelled, or its record made: either way it no longer counts among those waiting. */
  over: boolean;
}

/**
 * The recordings waiting for their time, for every run of the engine: one timer, armed for the
 * earliest, instead of one per attempt. Most attempts of a big workflow end long before theirs is
 * due: each would have made and cleared a timer of its own (a thousand a second on a DAG of
 * `true`); the one timer fires about once per `afterMs` while steps run, skips the ended ones,
 * and is re-armed for the next still waiting, if any.
 */
const waiting: Due[] = [];
let live = 0;
let timer: NodeJS.Timeout | undefined;
let armedFor = Infinity;

/** Runs `record` after `ms`, unless the returned function is called first. */
export function recordLater(ms: number, record: () => void): () => void {
  const due: Due = { at: Date.now() + ms, record, over: false };
  waiting.push(due);
  live++;
  if (due.at < armedFor) arm(due.at);
  return () => {
    // An attempt that ends after its record was made no longer counts: the others still wait.
    if (due.over) return;
    due.over = true;
    // None waiting: the list goes, and the armed timer finds nothing when it fires.
    if (--live === 0) waiting.length = 0;
  };
}

function arm(at: number): void {
  clearTimeout(timer);
  armedFor = at;
  timer = setTimeout(fire, Math.max(0, at - Date.now()));
  // Never what keeps a host alive: a step's process keeps it alive while its recording waits.
  timer.unref();
}

function fire(): void {
  timer = undefined;
  armedFor = Infinity;
  const now = Date.now();
  const due = waiting.filter((entry) => !entry.over && entry.at <= now);
  const later = waiting.filter((entry) => !entry.over && entry.at > now);
  waiting.splice(0, waiting.length, ...later);
  live = later.length;
  if (later.length > 0) arm(Math.min(...later.map((entry) => entry.at)));
  for (const entry of due) {
    entry.over = true;
    entry.record();
  }
}
