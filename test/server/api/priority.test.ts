/**
 * Priority over real HTTP: with an engine that runs one operation at once, the ones that wait
 * start highest priority first (then oldest), a priority changed while waiting counts, and a
 * waiting operation can be cancelled before it starts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../shared/rest.js';
import { eventually, useApiHost } from './helpers.js';

const api = useApiHost({}, { maxActiveRuns: 1 });

async function start(name: string, command: string, priority?: string): Promise<Operation> {
  const body = { name, workflow: [{ step: 1, platform: 'shell', inputs: { command } }], baseDir: api.host.root, ...(priority ? { priority } : {}) };
  const answer = await api.call<Operation>('POST', '/api/v1/operations', { body });
  expect(answer.status, JSON.stringify(answer.body.error)).toBe(201);
  return answer.body.data!;
}

async function get(id: string): Promise<Operation> {
  return (await api.call<Operation>('GET', `/api/v1/operations/${id}`)).body.data!;
}

describe('queued operations', () => {
  it('start by priority, then age, once the running one ends; a waiting one can be cancelled', async () => {
    const gate = join(api.host.root, 'gate');
    const marks = join(api.host.root, 'order');
    const blocker = await start('blocker', `while [ ! -f '${gate}' ]; do sleep 0.05; done`);
    expect(blocker.status).toBe('running');

    // Queued oldest first in the reverse of the order they must start in (but for `low`, raised below).
    const plain = await start('plain', `echo plain >> '${marks}'`);
    const high = await start('high', `echo high >> '${marks}'`, 'high');
    const low = await start('low', `echo low >> '${marks}'`, 'low');
    const critical = await start('critical', `echo critical >> '${marks}'`, 'critical');
    const dropped = await start('dropped', `echo dropped >> '${marks}'`, 'critical');
    for (const waiting of [plain, high, low, critical, dropped]) {
      expect(waiting.status, waiting.name).toBe('queued');
      expect(waiting.startedAt, waiting.name).toBeNull();
    }
    const queuedList = await api.call<{ operations: Operation[] }>('GET', '/api/v1/operations?status=queued');
    expect(queuedList.body.data!.operations.map((operation) => operation.name).sort()).toEqual(['critical', 'dropped', 'high', 'low', 'plain']);

    // Raised while it waits: as critical as `critical`, and older, so it goes first.
    expect((await api.call('PUT', `/api/v1/operations/${low.id}`, { body: { priority: 'critical' } })).status).toBe(200);
    const cancelled = await api.call<Operation>('DELETE', `/api/v1/operations/${dropped.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', startedAt: null });
    expect(cancelled.body.data!.errors).toEqual([{ step: 1, message: 'cancelled before it started' }]);

    writeFileSync(gate, '');
    for (const operation of [blocker, low, critical, high, plain]) {
      await eventually(async () => ((await get(operation.id)).status === 'succeeded' ? true : undefined), `${operation.name} to succeed`, 60_000);
    }
    expect(readFileSync(marks, 'utf8').trim().split('\n')).toEqual(['low', 'critical', 'high', 'plain']);
    expect((await get(dropped.id)).status).toBe('cancelled');
  });
});
