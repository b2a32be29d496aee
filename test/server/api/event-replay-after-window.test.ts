/**
 * A client back after the resume window (nobody listened for a while, so the record stopped) with
 * an id the record still holds events after: it is told of the gap once, sent each kept event after
 * its id once, in order, and then follows live. The real event bus, record and broadcaster with the
 * SSE framing; the connection is a sink that takes every write at once (a reader that keeps up),
 * since the window is minutes long on a real server.
 */
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../shared/runs.js';
import { createEventBus } from '../../../electron/engine/events/index.js';
import { createBroadcaster, type StreamSink } from '../../../electron/server/api/events/broadcast.js';
import { createEventLog } from '../../../electron/server/api/events/event-log.js';
import { sseTransport } from '../../../electron/server/api/events/stream.js';

function summary(runId: string): RunSummary {
  return { runId, workflowId: null, workflowName: 'w', status: 'running', concurrency: 1, createdAt: '', startedAt: null, finishedAt: null, counts: { total: 1, pending: 1, running: 0, succeeded: 0, failed: 0, skipped: 0, cancelled: 0 } };
}

/** What a client reads: each message's event name and id, `gap` without one. */
function reader() {
  const messages: string[] = [];
  const sink: StreamSink = {
    pending: () => 0,
    write(payload, flushed) {
      for (const buffer of Buffer.isBuffer(payload) ? [payload] : payload) {
        for (const block of buffer.toString().split('\n\n').filter(Boolean)) {
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const id = /^id: (.*)$/m.exec(block)?.[1];
          messages.push(id === undefined ? `${name}` : `${name}:${id}`);
        }
      }
      // A replay that never ends would never return: stop it as a failure instead.
      if (messages.length > 10_000) throw new Error(`endless replay: ${messages.slice(0, 5).join(' ')} ... ${messages.length} messages`);
      flushed?.();
    },
    end: () => undefined,
    close: () => undefined,
  };
  return { sink, messages };
}

describe('resuming after the record stopped', () => {
  it('tells the gap once, sends each kept event after the id once, in order, then live', async () => {
    const bus = createEventBus();
    const log = createEventLog(bus, undefined, 50);
    const streams = createBroadcaster(log);
    const first = reader();
    const stop = streams.add(first.sink, sseTransport, {}, undefined);
    // More than one step of a replay (64) after the id the client comes back with.
    for (let i = 1; i <= 200; i++) bus.emit('run.updated', summary(`r${i}`));
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.messages).toHaveLength(200);
    stop();
    // The window passes with nobody listening: the record stops, keeping what it had.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const back = reader();
    streams.add(back.sink, sseTransport, {}, 10);
    const expected = ['gap', ...Array.from({ length: 190 }, (_, i) => `run.updated:${i + 11}`)];
    expect(back.messages).toEqual(expected);
    bus.emit('run.updated', summary('live'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(back.messages).toEqual([...expected, 'run.updated:201']);
    streams.close();
    log.close();
  });
});
