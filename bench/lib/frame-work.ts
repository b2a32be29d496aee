/**
 * Main-thread work per frame from a Chromium trace. Headless Chromium paces requestAnimationFrame
 * at about 16.7 ms whatever the page does, so rAF deltas cannot tell a 2 ms frame from a 15 ms one;
 * the trace can: it holds every task the page's main thread ran and where each frame began.
 */
import type { Page } from 'playwright-core';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  /** Microseconds. */
  ts: number;
  dur?: number;
  /** Thread time (microseconds): the part of `dur` the thread was running on a CPU. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { type?: string } };
}

/** The categories that carry top-level tasks and frame starts (what DevTools' Performance panel records). */
const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame'].join(',');

/** Records a trace of the browser while `action` runs and returns its events. */
export async function traceWhile(page: Page, action: () => Promise<void>): Promise<TraceEvent[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Tracing.start', { categories, transferMode: 'ReturnAsStream' });
    await action();
    const complete = new Promise<{ stream?: string }>((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    const { stream } = await complete;
    if (!stream) throw new Error('Chromium returned no trace stream');
    let text = '';
    for (;;) {
      const chunk = await cdp.send('IO.read', { handle: stream });
      text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
      if (chunk.eof) break;
    }
    await cdp.send('IO.close', { handle: stream });
    const parsed = JSON.parse(text) as TraceEvent[] | { traceEvents: TraceEvent[] };
    return Array.isArray(parsed) ? parsed : parsed.traceEvents;
  } finally {
    await cdp.detach();
  }
}

const frameStart = 'BeginMainThreadFrame';
const pointerTypes = new Set(['pointermove', 'mousemove', 'pointerdown', 'mousedown', 'pointerup', 'mouseup']);

export interface FrameWork {
  /** Milliseconds of main-thread tasks per frame that handled pointer input (the frames a drag or pan is made of). */
  wall: number[];
  /**
   * The same frames' CPU time: the thread time of those tasks. On a machine shared with other
   * busy processes, wall time includes waiting for a CPU; this is the work itself.
   */
  cpu: number[];
}

/**
 * Main-thread work per frame on the page's main thread. A frame's share is every task that
 * started after the previous frame's rendering task ended, up to and including its own rendering
 * task: the input handling (events, React) and then the update, style, layout and paint it led
 * to. Idle time between tasks does not count.
 */
export function workPerFrame(events: readonly TraceEvent[]): FrameWork {
  const mainThreads = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}/${e.tid}`));
  // The page's renderer is the main thread that drew the most frames in the trace.
  const starts = new Map<string, number[]>();
  for (const event of events) {
    const thread = `${event.pid}/${event.tid}`;
    if (event.name !== frameStart || !mainThreads.has(thread)) continue;
    let list = starts.get(thread);
    if (!list) starts.set(thread, (list = []));
    list.push(event.ts);
  }
  const [thread, frameStarts] = [...starts].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
  if (!thread || !frameStarts) return { wall: [], cpu: [] };
  const onThread = events.filter((e) => `${e.pid}/${e.tid}` === thread);
  const tasks = onThread.filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.cat.includes('devtools.timeline')).sort((a, b) => a.ts - b.ts);

  // Each frame ends where the task that began it ends.
  const frameEnds = [
    ...new Set(
      frameStarts.map((at) => {
        const task = tasks.find((t) => t.ts <= at && at <= t.ts + (t.dur ?? 0));
        return task ? task.ts + (task.dur ?? 0) : at;
      }),
    ),
  ].sort((a, b) => a - b);
  const frameOf = (ts: number): number => {
    // The first frame ending at or after ts; -1 before the first frame ended or after the last.
    if (frameEnds.length < 2 || ts <= frameEnds[0]! || ts > frameEnds.at(-1)!) return -1;
    let low = 0;
    let high = frameEnds.length - 1;
    while (high - low > 1) {
      const mid = (low + high) >> 1;
      if (frameEnds[mid]! < ts) low = mid;
      else high = mid;
    }
    return high;
  };

  const wall = new Array<number>(frameEnds.length).fill(0);
  const cpu = new Array<number>(frameEnds.length).fill(0);
  const hadInput = new Array<boolean>(frameEnds.length).fill(false);
  for (const task of tasks) {
    const frame = frameOf(task.ts);
    if (frame <= 0) continue;
    wall[frame]! += (task.dur ?? 0) / 1000;
    cpu[frame]! += (task.tdur ?? task.dur ?? 0) / 1000;
  }
  for (const event of onThread) {
    if (event.name !== 'EventDispatch' || !pointerTypes.has(event.args?.data?.type ?? '')) continue;
    const frame = frameOf(event.ts);
    if (frame > 0) hadInput[frame] = true;
  }
  // Frame 0 has no start of its own in the trace (the tasks before it are only partly there).
  const withInput = (values: number[]) => values.filter((_, i) => i > 0 && hadInput[i]);
  return { wall: withInput(wall), cpu: withInput(cpu) };
}
