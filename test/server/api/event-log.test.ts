/**
 * The API's record of events for Last-Event-ID, on the engine's own event bus: what it keeps, what
 * it lets go (by count and by size), and when a client that comes back is told it has a gap.
 */
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../shared/runs.js';
import { createEventBus } from '../../../electron/engine/events/index.js';
import { createEventLog } from '../../../electron/server/api/events/event-log.js';

function summary(runId: string): RunSummary {
  return { runId, workflowId: null, workflowName: 'w', status: 'running', concurrency: 1, createdAt: '', startedAt: null, finishedAt: null, counts: { total: 1, pending: 1, running: 0, succeeded: 0, failed: 0, skipped: 0, cancelled: 0 } };
}

describe('the event log', () => {
  it('replays what came after an id, in order, and nothing of terminal bytes', () => {
    const bus = createEventBus();
    const log = createEventLog(bus);
    log.subscribe(() => undefined);
    bus.emit('run.updated', summary('a'));
    bus.emit('terminal.data', { id: 't', data: 'secret keystrokes' });
    bus.emit('step.output', { runId: 'a', step: 1, attempt: 1, data: 'hello' });
    bus.emit('run.updated', summary('b'));
    expect(log.lastId).toBe(3);
    expect(log.since(1, {})).toEqual({ gap: false, events: [expect.objectContaining({ id: '2', event: 'step.output' }), expect.objectContaining({ id: '3', event: 'run.updated' })] });
    expect(log.since(0, { operation: 'b' }).events.map((event) => event.id)).toEqual(['3']);
    expect(log.since(0, { types: new Set(['step.output']) }).events.map((event) => event.id)).toEqual(['2']);
    log.close();
  });

  it('sends metrics ticks live but does not keep them, and that is no gap', () => {
    const bus = createEventBus();
    const log = createEventLog(bus, { events: 2, bytes: 1_000_000 });
    const live: string[] = [];
    log.subscribe((event) => live.push(`${event.id}:${event.event}`));
    bus.emit('run.updated', summary('a'));
    for (let i = 0; i < 5; i++) bus.emit('metrics.tick', {} as never);
    bus.emit('run.updated', summary('a'));
    expect(live).toEqual(['1:run.updated', '2:metrics.tick', '3:metrics.tick', '4:metrics.tick', '5:metrics.tick', '6:metrics.tick', '7:run.updated']);
    expect(log.since(0, {})).toEqual({ gap: false, events: [expect.objectContaining({ id: '1' }), expect.objectContaining({ id: '7' })] });
    log.close();
  });

  it('lets the oldest go past its count or its size, and tells a client that missed them', () => {
    const bus = createEventBus();
    const log = createEventLog(bus, { events: 3, bytes: 18_500 });
    log.subscribe(() => undefined);
    for (let i = 0; i < 5; i++) bus.emit('run.updated', summary(`r${i}`));
    expect(log.since(0, {})).toMatchObject({ gap: true, events: [{ id: '3' }, { id: '4' }, { id: '5' }] });
    expect(log.since(2, {})).toMatchObject({ gap: false, events: [{ id: '3' }, { id: '4' }, { id: '5' }] });
    // One big output pushes out everything before it.
    bus.emit('step.output', { runId: 'r', step: 1, attempt: 1, data: 'x'.repeat(9_000) });
    expect(log.since(5, {})).toMatchObject({ gap: false, events: [{ id: '6' }] });
    expect(log.since(4, {}).gap).toBe(true);
    // An id from an earlier server's life.
    expect(log.since(99, {}).gap).toBe(true);
    log.close();
  });

  it('listens to the engine only while a client is there, and for a resume window after', async () => {
    const bus = createEventBus();
    const log = createEventLog(bus, undefined, 100);
    // Nobody listens: the engine is told so, and skips building what nobody would receive.
    expect(bus.hasListeners('step.output')).toBe(false);
    bus.emit('run.updated', summary('unseen'));
    expect(log.lastId).toBe(0);

    const stop = log.subscribe(() => undefined);
    expect(bus.hasListeners('step.output')).toBe(true);
    bus.emit('run.updated', summary('a'));
    stop();
    // Within the window the record goes on, so a client that comes back misses nothing.
    bus.emit('run.updated', summary('b'));
    expect(log.since(1, {})).toMatchObject({ gap: false, events: [{ id: '2' }] });

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bus.hasListeners('step.output')).toBe(false);
    bus.emit('run.updated', summary('while nobody listened'));
    // Back after the window: whatever it had, it may have missed something, and is told so.
    expect(log.since(2, {}).gap).toBe(true);
    log.subscribe(() => undefined);
    bus.emit('run.updated', summary('c'));
    expect(log.since(2, {}).gap).toBe(true);
    expect(log.since(3, {})).toMatchObject({ gap: false, events: [] });
    log.close();
    expect(bus.hasListeners('step.output')).toBe(false);
  });
});
