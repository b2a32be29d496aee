/**
 * What the REST API bench needs beyond autocannon: a process's file-descriptor limits, its CPU and
 * memory from /proc, and many Server-Sent Event streams held open at once on plain node:http (one
 * socket each, no pooling), noting when each first sees a given event.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export function fdLimits(pid: number | 'self' = 'self'): { soft: number; hard: number } {
  const match = /Max open files\s+(\d+)\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return { soft: Number(match?.[1]), hard: Number(match?.[2]) };
}

export interface Usage {
  rssBytes: number;
  peakRssBytes: number;
  /** CPU seconds (user + system) since the process started, or since `before` when given. */
  cpuSeconds: number;
  /** cpuSeconds over the wall time given (100% is one core busy). */
  cpuPercent: number;
}

const clockTicks = 100; // USER_HZ on Linux

export function processUsage(pid: number, before?: Usage, wallSeconds?: number): Usage {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  // Fields after the command name, which is in parentheses and may hold spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const total = (Number(fields[11]) + Number(fields[12])) / clockTicks;
  const cpuSeconds = before ? total - before.cpuSeconds : total;
  return {
    rssBytes: kb('VmRSS'),
    peakRssBytes: kb('VmHWM'),
    cpuSeconds: before ? cpuSeconds : total,
    cpuPercent: wallSeconds ? (100 * cpuSeconds) / wallSeconds : 0,
  };
}

export interface HeldStreams {
  opened: number;
  /** Streams the server ended while held: told with a `gap` that they fell behind (gaps), or otherwise. */
  ended(): { gaps: number; other: number };
  /** The first refusal's status and body, when a stream was not opened. */
  refusal?: string;
  /**
   * Resolves with the time each stream first saw `event` (one whose message holds `marker`, when
   * given: among a backlog's events, the one the bench is waiting for), once all have (or at the
   * timeout, with those that did).
   */
  waitForEvent(event: string, timeoutMs: number, marker?: string): Promise<number[]>;
  close(): void;
}

/** Opens `count` streams, `batch` at a time, each answered 200 before it counts as open. */
export async function openStreams(url: string, headers: Record<string, string>, count: number, batch = 250): Promise<HeldStreams> {
  const requests: http.ClientRequest[] = [];
  const arrivals = new Map<number, number>();
  let watched: string | undefined;
  let watchedMarker: string | undefined;
  const buffers: string[] = [];
  let opened = 0;
  let refusal: string | undefined;
  let closing = false;
  const ended = { gaps: 0, other: 0 };

  const seen = (buffer: string) => {
    if (watchedMarker === undefined) return buffer.includes(`event: ${watched}\n`);
    return buffer.split('\n\n').some((message) => message.startsWith(`event: ${watched}\n`) && message.includes(watchedMarker!));
  };

  const openOne = (index: number) =>
    new Promise<void>((resolve) => {
      const request = http.get(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } }, (response) => {
        response.setEncoding('utf8');
        if (response.statusCode !== 200) {
          let body = '';
          response.on('data', (chunk: string) => (body += chunk)).on('end', () => {
            refusal ??= `${response.statusCode} ${body.slice(0, 200)}`;
            resolve();
          });
          return;
        }
        opened++;
        buffers[index] = '';
        // A gap comes last, just before the end: only the tail is needed to see it.
        let tail = '';
        response.on('data', (chunk: string) => {
          tail = (tail + chunk).slice(-1024);
          if (arrivals.has(index)) return;
          buffers[index] += chunk;
          if (watched !== undefined && seen(buffers[index]!)) arrivals.set(index, performance.now());
          // Only the tail can hold the start of a message still to come (a run.updated is under 1 KB).
          if (buffers[index]!.length > 8192) buffers[index] = buffers[index]!.slice(-2048);
        });
        response.on('error', () => undefined);
        response.on('close', () => {
          if (closing) return;
          if (tail.includes('event: gap\n')) ended.gaps++;
          else ended.other++;
        });
        resolve();
      });
      request.on('error', (error) => {
        refusal ??= error.message;
        resolve();
      });
      requests.push(request);
    });

  for (let start = 0; start < count; start += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - start) }, (_, i) => openOne(start + i)));
  }

  return {
    opened,
    refusal,
    ended: () => ({ ...ended }),
    async waitForEvent(event, timeoutMs, marker) {
      watched = event;
      watchedMarker = marker;
      // Whatever came before is not the event waited for.
      for (let index = 0; index < buffers.length; index++) buffers[index] = '';
      const deadline = performance.now() + timeoutMs;
      // A stream the server ended will not see it.
      while (arrivals.size < opened - ended.gaps - ended.other && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      return [...arrivals.values()];
    },
    close() {
      closing = true;
      for (const request of requests) request.destroy();
    },
  };
}
