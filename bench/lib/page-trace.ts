/**
 * Where the page's main thread spends its CPU, from a Chromium trace over the bare DevTools
 * protocol (bench/terminal.bench.ts --trace): every top-level task of the renderer's main thread,
 * by what it ran, with its thread time (the CPU it got; on a shared machine its wall time also
 * holds the waits for a core). Kinds, first match wins:
 *   - frames: a frame's update and drawing (xterm's render on requestAnimationFrame, style,
 *     layout, paint, the commit to the compositor);
 *   - receiving: the WebSocket's messages (the transport's `onmessage`: frames of terminal output
 *     handed to xterm's write queue, replies to calls);
 *   - timers: xterm parses its write queue on setTimeout, and its write callbacks acknowledge what
 *     was consumed (the pipe's acks, sent from there); the benchmark's own watchers run on timers too;
 *   - gc: a collection on its own; the rest is other.
 */
import type { CdpPage } from './cdp-page.js';
import type { TraceEvent } from './frame-work.js';
import { median } from './measure.js';

/** Categories for top-level tasks with thread time, frames, timers, function calls and collections. */
const categories = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'cc', 'v8'].join(',');

/** Ends the trace and returns the handle of the stream that holds it. */
async function endTrace(page: CdpPage): Promise<string> {
  const complete = new Promise<Record<string, unknown>>((resolve) => {
    const stop = page.on('Tracing.tracingComplete', (params) => {
      stop();
      resolve(params);
    });
  });
  await page.send('Tracing.end');
  const { stream } = (await complete) as { stream?: string };
  if (!stream) throw new Error('Chromium returned no trace stream');
  return stream;
}

/** Records a trace of the browser while `action` runs and returns its events and what `action` returned. */
export async function traceWhile<T>(page: CdpPage, action: () => Promise<T>): Promise<{ events: TraceEvent[]; result: T }> {
  await page.send('Tracing.start', { categories, transferMode: 'ReturnAsStream' });
  let result: T;
  try {
    result = await action();
  } catch (error) {
    await endTrace(page).catch(() => undefined);
    throw error;
  }
  const stream = await endTrace(page);
  const chunks: string[] = [];
  for (;;) {
    const chunk = (await page.send('IO.read', { handle: stream })) as { data: string; eof: boolean; base64Encoded?: boolean };
    chunks.push(chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data);
    if (chunk.eof) break;
  }
  await page.send('IO.close', { handle: stream });
  const parsed = JSON.parse(chunks.join('')) as TraceEvent[] | { traceEvents: TraceEvent[] };
  return { events: Array.isArray(parsed) ? parsed : parsed.traceEvents, result };
}

export const workKinds = ['timers', 'frames', 'receiving', 'gc', 'other'] as const;
export type WorkKind = (typeof workKinds)[number];

/** CPU (ms) of the page's main thread by kind, and how many frames it drew. */
export interface MainThreadWork {
  cpuMs: Record<WorkKind, number>;
  frames: number;
}

function kindOf(inside: readonly TraceEvent[]): WorkKind {
  const names = new Set(inside.map((event) => event.name));
  if (names.has('ProxyMain::BeginMainFrame') || names.has('FireAnimationFrame')) return 'frames';
  if (inside.some((event) => event.name === 'FunctionCall' && /onmessage$/.test(String((event.args?.data as { functionName?: string } | undefined)?.functionName ?? '')))) return 'receiving';
  if (names.has('TimerFire')) return 'timers';
  if ([...names].some((name) => /GC/.test(name))) return 'gc';
  return 'other';
}

/** The work of the renderer main thread that ran the most tasks in the trace (the page's). */
export function mainThreadWork(events: readonly TraceEvent[]): MainThreadWork {
  const mainThreads = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}/${e.tid}`));
  const byThread = new Map<string, TraceEvent[]>();
  for (const event of events) {
    const thread = `${event.pid}/${event.tid}`;
    if (event.ph !== 'X' || event.dur === undefined || !mainThreads.has(thread)) continue;
    let list = byThread.get(thread);
    if (!list) byThread.set(thread, (list = []));
    list.push(event);
  }
  const tasks = [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  tasks.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const cpuMs = Object.fromEntries(workKinds.map((kind) => [kind, 0])) as Record<WorkKind, number>;
  let frames = 0;
  for (let at = 0; at < tasks.length; ) {
    const top = tasks[at]!;
    const end = top.ts + top.dur!;
    let next = at + 1;
    while (next < tasks.length && tasks[next]!.ts < end) next++;
    const inside = tasks.slice(at, next);
    const kind = kindOf(inside);
    cpuMs[kind] += (top.tdur ?? top.dur!) / 1000;
    if (inside.some((event) => event.name === 'ProxyMain::BeginMainFrame')) frames++;
    at = next;
  }
  return { cpuMs, frames };
}

/** One line: the main thread's CPU per MB by kind, and frames per MB. */
export function workLine(work: MainThreadWork, megabytes: number): string {
  const total = workKinds.reduce((sum, kind) => sum + work.cpuMs[kind], 0);
  const parts = workKinds.map((kind) => `${kind} ${(work.cpuMs[kind] / megabytes).toFixed(1)}`);
  return `${(total / megabytes).toFixed(1)} ms per MB (${parts.join(', ')}), ${(work.frames / megabytes).toFixed(1)} frames per MB`;
}

/** The medians over repetitions, per MB of the flood, as the benchmark prints them. */
export function workMedianLines(runs: readonly { work: { flood: MainThreadWork; xterm: MainThreadWork }; megabytes: number }[]): string[] {
  if (runs.length === 0) return [];
  return (['flood', 'xterm'] as const).map((what) => {
    const perMb = (pick: (work: MainThreadWork) => number) => median(runs.map((run) => pick(run.work[what]) / run.megabytes));
    const kinds = workKinds.map((kind) => `${kind} ${perMb((work) => work.cpuMs[kind]).toFixed(1)}`).join(', ');
    return `  page thread    ${what === 'flood' ? 'flood' : 'xterm alone'}: CPU per MB ${kinds}; ${perMb((work) => work.frames).toFixed(1)} frames per MB`;
  });
}
