/**
 * xterm.js alone, for bench/terminal.bench.ts's baseline: characters written straight into the shown
 * terminal through its probe's `feed` (no engine, no WebSocket, no flow control), in chunks of
 * CRLF-ended base64 lines made in the page before any clock starts, into a terminal cleared as the
 * flood's was (`fromClearedScrollback`). The chunks are UTF-8 bytes, as
 * the page hands its output to xterm: xterm parses bytes faster than the same text as a string
 * (in one page, its write queue's CPU 13.3-14.5 ms per MB against 15.5-18.5), so a baseline of
 * strings would flatter end to end.
 */

/** What the benchmark needs of its page here. */
export interface FeedPage {
  evaluate<T>(expression: string): Promise<T>;
}

/** Characters fed per write in the baseline: about what the engine's batches carry under a flood. */
const feedChunkChars = 65_536;
/** Writes in flight: enough that xterm never waits on the benchmark, well under xterm's 50 MB discard limit. */
const feedWindow = 16;

/**
 * What `clear` prints (bash's, ncurses): home, erase the screen, erase the scrollback. The flood
 * starts right after it, so xterm alone does too. Until its scrollback is full (10,000 lines,
 * about 780 KB of base64) xterm grows the buffer and moves the viewport's scroll area at every
 * line feed, which is 10 to 40 times slower than scrolling a full buffer (786 KB fed in one page:
 * 395-1081 ms cleared against 25-88 ms full); fed after the flood had filled it, xterm alone was
 * spared that, and end to end was compared with a faster xterm than the one it fed.
 */
const clearSequence = '\x1b[H\x1b[2J\x1b[3J';

/** Clears the shown terminal's screen and scrollback as `clear` does, before a baseline's clock starts. */
export async function fromClearedScrollback(page: FeedPage, probe: string): Promise<void> {
  await page.evaluate(`${probe}.feed(${JSON.stringify(clearSequence)})`);
}

/**
 * Chunks of CRLF-ended base64 lines, as UTF-8 bytes, for the baselines, made before their clocks
 * start (window.__photonBenchPool). Each starts a line; their lengths differ (by up to a line) so
 * that each write leaves xterm's cursor somewhere else, as the flood's batches do. Chunks all of
 * 65,536 characters (840 lines of 78 and 16 more) left it in the same cell after every write, and
 * xterm then skips its work for a moved cursor (onCursorMove: the cursor's row and the textarea's
 * place, a style change and a layout): in one profile of each, the textarea's sync took 0.3 ms of
 * xterm alone against 70 ms of the flood.
 */
export async function makeFeedPool(page: FeedPage): Promise<void> {
  await page.evaluate(`(() => {
    const pool = (window.__photonBenchPool = []);
    const encoder = new TextEncoder();
    for (let c = 0; c < 32; c++) {
      const length = ${feedChunkChars} - ((c * 29) % 78);
      let chunk = '';
      while (chunk.length < length) {
        const bytes = crypto.getRandomValues(new Uint8Array(57));
        chunk += btoa(String.fromCharCode(...bytes)) + '\\r\\n';
      }
      pool.push(encoder.encode(chunk.slice(0, length)));
    }
  })()`);
}

/**
 * xterm alone again, on as many characters paced over the flood's own duration: it draws as many
 * frames as the flood did, so Chromium's CPU beside the flood's is the work of the path itself
 * (the WebSocket through the browser, JSON, the pipe), apart from drawing for longer.
 */
export async function xtermPaced(page: FeedPage, probe: string, chromiumCpuMs: () => number | null, chars: number, durationMs: number): Promise<number | null> {
  await makeFeedPool(page);
  await fromClearedScrollback(page, probe);
  const before = chromiumCpuMs();
  await page.evaluate(`(async () => {
    const probe = ${probe};
    const pool = window.__photonBenchPool;
    const t0 = performance.now();
    let written = 0;
    let next = 0;
    while (written < ${chars}) {
      const late = (written / ${chars}) * ${durationMs} - (performance.now() - t0);
      if (late > 0) await new Promise((done) => setTimeout(done, Math.min(20, late)));
      const chunk = pool[next++ % pool.length].subarray(0, ${chars} - written);
      written += chunk.length;
      await probe.feed(chunk);
    }
    delete window.__photonBenchPool;
  })()`);
  const after = chromiumCpuMs();
  return before === null || after === null ? null : after - before;
}

/**
 * xterm alone: `chars` characters of CRLF-ended base64 lines fed straight into the shown terminal,
 * in chunks cycled from a pool made beforehand (so making them is not timed; `poolMade` when the
 * caller made it with makeFeedPool, e.g. before a trace starts). MB/s as `flood` counts it.
 */
export async function xtermAlone(page: FeedPage, probe: string, chromiumCpuMs: () => number | null, chars: number, poolMade = false): Promise<XtermAlone> {
  if (!poolMade) await makeFeedPool(page);
  await fromClearedScrollback(page, probe);
  const chromiumBefore = chromiumCpuMs();
  const { ms, frames } = await page.evaluate<{ ms: number; frames: number }>(`(async () => {
    const probe = ${probe};
    const pool = window.__photonBenchPool;
    const total = ${chars};
    const t0 = performance.now();
    // Frames counted as the flood counts them (its watcher runs the same loop), so both pay for it.
    let frames = 0;
    let counting = true;
    const count = () => { frames++; if (counting) requestAnimationFrame(count); };
    requestAnimationFrame(count);
    await new Promise((finished, failed) => {
      let written = 0;
      let inFlight = 0;
      let next = 0;
      const pump = () => {
        while (inFlight < ${feedWindow} && written < total) {
          const chunk = pool[next++ % pool.length].subarray(0, total - written);
          written += chunk.length;
          inFlight++;
          probe.feed(chunk).then(() => { inFlight--; if (written >= total && inFlight === 0) finished(); else pump(); }, failed);
        }
      };
      pump();
    });
    counting = false;
    delete window.__photonBenchPool;
    return { ms: performance.now() - t0, frames };
  })()`);
  const chromiumAfter = chromiumCpuMs();
  return {
    ms,
    mbPerSecond: chars / 1e6 / (ms / 1000),
    framesPerSecond: frames / (ms / 1000),
    chromiumCpuMs: chromiumBefore === null || chromiumAfter === null ? null : chromiumAfter - chromiumBefore,
  };
}

export interface XtermAlone {
  ms: number;
  mbPerSecond: number;
  /** Animation frames the page ran meanwhile, per second. */
  framesPerSecond: number;
  /** Chromium's CPU while xterm alone took the characters, in ms (null through Playwright). */
  chromiumCpuMs: number | null;
}

