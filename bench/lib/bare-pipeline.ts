/**
 * The "bare pipeline" of bench/terminal.bench.ts: the least any browser terminal pays between a pty
 * and xterm.js on this machine, measured in the page and xterm the flood used, so renderer, font,
 * size and scrollback are the same. A server process (bench/lib/bare-pty-server.mjs: node-pty, one
 * binary WebSocket message per pty read, the pty paused above a window of unacknowledged bytes and
 * resumed below its low mark) and, in the page, a WebSocket whose every message is written into the
 * shown xterm through its probe's `feed`, the bytes xterm's write callbacks report acknowledged in
 * one message per parse slice. No protocol, batching, pacing, scrollback or second process between
 * the pty and the socket: what is left is what any pty-to-browser terminal must do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machineBusyMs, processCpuMs, processTreeCpuMs } from './proc-cpu.js';
import { fromClearedScrollback, type FeedPage } from './xterm-feed.js';

/**
 * The flow-control window: pause the pty above `high` bytes sent and not acknowledged, resume below
 * `low`; with `batchMs`, the pty's chunks gathered that long into one message (else one each).
 */
export interface BareWindow {
  high: number;
  low: number;
  batchMs?: number;
}

/** `HIGH:LOW[:BATCH_MS],...` as windows. */
export function parseBareWindows(text: string): BareWindow[] {
  return text.split(',').filter((each) => each !== '').map((spec) => {
    const [high, low, batchMs] = spec.split(':').map(Number);
    if (!Number.isInteger(high) || !Number.isInteger(low) || high! <= low! || low! < 0 || (batchMs !== undefined && !(batchMs >= 0))) {
      throw new Error(`--bare-windows: "${spec}" is not HIGH:LOW[:BATCH_MS] with HIGH > LOW >= 0`);
    }
    return { high: high!, low: low!, ...(batchMs === undefined ? {} : { batchMs }) };
  });
}

export const windowLabel = (window: BareWindow) => `${window.high}/${window.low}${window.batchMs === undefined ? '' : `/${window.batchMs}ms`}`;

export interface BareServer {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

/** Starts bench/lib/bare-pty-server.mjs in a `node` of its own and reads its port. */
export function startBareServer(): Promise<BareServer> {
  const child: ChildProcess = spawn(process.execPath, [fileURLToPath(new URL('./bare-pty-server.mjs', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bare-pty-server exited (${code}) before listening`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!out.includes('\n')) return;
      const { port } = JSON.parse(out.slice(0, out.indexOf('\n'))) as { port: number };
      child.removeAllListeners('exit');
      resolve({
        pid: child.pid!,
        port,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill();
          }),
      });
    });
  });
}

export interface BareRun {
  window: BareWindow;
  /** Bytes (one character each: base64 lines) xterm was written. */
  chars: number;
  /** From the start message until xterm showed the marker after the last byte. */
  ms: number;
  mbPerSecond: number;
  framesPerSecond: number;
  /** Binary messages, one per pty read (or per batch): the bytes of each are chars / chunks. */
  chunks: number;
  /** CPU (ms) meanwhile: the server, the producer it reaped (sh and cat), Chromium (null when unknown), the rest of the machine (null when Chromium's is unknown). */
  cpu: { server: number; producer: number; chromium: number | null; others: number | null };
}

/** The marker after the last byte; printed by the producer's shell, never echoed (nothing is typed before it). */
const marker = 'BAREDONE';

/**
 * One bare run: `command` (the flood's producer) in a pty of `size`, into the shown xterm cleared as
 * `clear` leaves it (as before the flood and xterm alone), timed from the start message until xterm
 * shows the marker, watched as the flood's is (every 10 ms, frames counted alike).
 */
export async function barePipeline(
  page: FeedPage,
  probe: string,
  server: BareServer,
  command: string,
  size: { cols: number; rows: number },
  window: BareWindow,
  chromiumCpuMs: () => number | null,
): Promise<BareRun> {
  await fromClearedScrollback(page, probe);
  const start = JSON.stringify({ command: `${command}; echo ${marker}; read _`, cols: size.cols, rows: size.rows, high: window.high, low: window.low, batchMs: window.batchMs });
  const serverBefore = processCpuMs(server.pid);
  const reapedBefore = processTreeCpuMs(server.pid) - serverBefore;
  const chromiumBefore = chromiumCpuMs();
  const machineBefore = machineBusyMs();
  const result = await page.evaluate<{ ms: number; frames: number; received: number; chunks: number }>(`(async () => {
    const probe = ${probe};
    const socket = new WebSocket('ws://127.0.0.1:${server.port}');
    socket.binaryType = 'arraybuffer';
    await new Promise((open, failed) => { socket.onopen = open; socket.onerror = () => failed(new Error('no connection to the bare pty server')); });
    return await new Promise((finished, failed) => {
      let received = 0;
      let unacknowledged = 0;
      let ackQueued = false;
      let markerMs = null;
      let chunks = null;
      let frames = 0;
      let counting = true;
      const count = () => { frames++; if (counting) requestAnimationFrame(count); };
      // Every write callback of one parse slice has run before a microtask queued in the first:
      // one acknowledgement per slice, carrying all it parsed.
      const acknowledge = () => { ackQueued = false; socket.send(String(unacknowledged)); unacknowledged = 0; };
      const done = () => { if (markerMs !== null && chunks !== null) { socket.close(); finished({ ms: markerMs, frames, received, chunks }); } };
      socket.onmessage = (event) => {
        if (typeof event.data === 'string') { chunks = Number(event.data.split(' ')[1]); done(); return; }
        const bytes = new Uint8Array(event.data);
        received += bytes.length;
        probe.feed(bytes).then(() => {
          unacknowledged += bytes.length;
          if (!ackQueued) { ackQueued = true; queueMicrotask(acknowledge); }
        });
      };
      socket.onclose = (event) => { if (markerMs === null || chunks === null) failed(new Error('the bare pipeline socket closed before the end (' + event.code + ' ' + event.reason + ', ' + received + ' bytes received)')); };
      const t0 = performance.now();
      requestAnimationFrame(count);
      socket.send(${JSON.stringify(start)});
      (async () => {
        for (;;) {
          if (probe.text(4).split('\\n').some((line) => line.trimEnd() === '${marker}')) break;
          if (performance.now() - t0 > 300000) return failed(new Error('the bare pipeline did not finish in 5 minutes: ' + received + ' bytes received, exit ' + (chunks === null ? 'not seen' : 'seen') + ', xterm ends with ' + JSON.stringify(probe.text(3))));
          await new Promise((wait) => setTimeout(wait, 10));
        }
        markerMs = performance.now() - t0;
        counting = false;
        socket.send('done');
        done();
      })();
    });
  })()`);
  const serverMs = processCpuMs(server.pid) - serverBefore;
  const producer = processTreeCpuMs(server.pid) - processCpuMs(server.pid) - reapedBefore;
  const chromiumAfter = chromiumCpuMs();
  const chromium = chromiumBefore === null || chromiumAfter === null ? null : chromiumAfter - chromiumBefore;
  const others = chromium === null ? null : Math.max(0, machineBusyMs() - machineBefore - serverMs - producer - chromium);
  return {
    window,
    chars: result.received,
    ms: result.ms,
    mbPerSecond: result.received / 1e6 / (result.ms / 1000),
    framesPerSecond: result.frames / (result.ms / 1000),
    chunks: result.chunks,
    cpu: { server: serverMs, producer, chromium, others },
  };
}
