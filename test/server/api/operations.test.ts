/**
 * Operations over real HTTP: real runs of real shell steps in a real engine with SQLite in a
 * temporary folder, started, listed, read and cancelled through /api/v1/operations.
 */
import { describe, expect, it } from 'vitest';
import type { Operation, OperationSummary } from '../../../shared/rest.js';
import { eventually, expectEnvelope, useApiHost } from './helpers.js';

const api = useApiHost();

function shellOperation(name: string, command: string, extra: Record<string, unknown> = {}) {
  return { name, workflow: [{ step: 1, platform: 'shell', inputs: { command } }], baseDir: api.host.root, ...extra };
}

async function ended(id: string): Promise<Operation> {
  return eventually(async () => {
    const answer = await api.call<Operation>('GET', `/api/v1/operations/${id}`);
    return answer.body.data && answer.body.data.status !== 'running' ? answer.body.data : undefined;
  }, `operation ${id} to end`);
}

describe('POST /api/v1/operations', () => {
  it('starts an inline operation and reports its steps, results and progress when it ends', async () => {
    const answer = await api.call<Operation>('POST', '/api/v1/operations', { body: shellOperation('api hello', 'echo hello-from-api', { priority: 'high', metadata: { ticket: 'T-1' } }) });
    expect(answer.status).toBe(201);
    expectEnvelope(answer, true);
    const id = answer.body.data!.id;
    expect(answer.headers.get('location')).toBe(`/api/v1/operations/${id}`);
    expect(answer.body.data).toMatchObject({ name: 'api hello', priority: 'high', metadata: { ticket: 'T-1' } });

    const done = await ended(id);
    expect(done.status).toBe('succeeded');
    expect(done.progress).toEqual({ done: 1, total: 1, percent: 100 });
    expect(done.steps).toEqual([expect.objectContaining({ step: 1, platform: 'shell', status: 'succeeded', exitCode: 0 })]);
    expect(done.results[0]?.output).toContain('hello-from-api');
    expect(done.errors).toEqual([]);
  });

  it('starts a saved workflow by its id', async () => {
    const { id: workflowId } = await api.host.engine.call('workflows.save', { workflow: { name: 'saved one', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'echo saved' } }] } });
    const answer = await api.call<Operation>('POST', '/api/v1/operations', { body: { workflowId, baseDir: api.host.root } });
    expect(answer.status).toBe(201);
    expect(answer.body.data).toMatchObject({ workflowId, name: 'saved one' });
    expect((await ended(answer.body.data!.id)).status).toBe('succeeded');
    expect((await api.call('POST', '/api/v1/operations', { body: { workflowId: 'no-such-workflow' } })).status).toBe(404);
  });

  it('reports a failing step among the errors', async () => {
    const answer = await api.call<Operation>('POST', '/api/v1/operations', { body: shellOperation('fails', 'echo broken >&2; exit 3') });
    const done = await ended(answer.body.data!.id);
    expect(done.status).toBe('failed');
    expect(done.errors).toEqual([{ step: 1, message: expect.stringContaining('3') }]);
  });

  it('refuses bad input with the place of each bad field, and starts nothing', async () => {
    const before = (await api.host.engine.call('runs.list', { limit: 1000 })).length;
    const cases: [unknown, string][] = [
      [{ ...shellOperation('x', 'true'), bogus: 1 }, 'body'],
      [{ workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' } }] }, 'body.name'],
      [{ name: 'both', workflowId: 'a', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' } }] }, 'body'],
      [{ name: 'x', workflow: [{ step: 'one', platform: 'shell' }] }, 'body.workflow[0].step'],
      [{ name: 'x', workflow: [{ step: 1, platform: 'no-such-tool', inputs: {} }] }, 'body.workflow[0].platform'],
      [{ ...shellOperation('x', 'true'), deadline: 'tomorrow' }, 'body.deadline'],
    ];
    for (const [body, place] of cases) {
      const answer = await api.call('POST', '/api/v1/operations', { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expectEnvelope(answer, false);
      expect(answer.body.error?.code).toBe('invalid');
      expect(answer.body.error?.issues?.map((issue) => issue.place), JSON.stringify(body)).toContain(place);
    }
    expect((await api.host.engine.call('runs.list', { limit: 1000 })).length).toBe(before);
  });

  it('refuses a body that is not JSON, is not labelled JSON, or is too large', async () => {
    const malformed = await api.call('POST', '/api/v1/operations', { rawBody: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'invalid', message: 'the body is not valid JSON' });
    const unlabelled = await api.call('POST', '/api/v1/operations', { rawBody: JSON.stringify(shellOperation('x', 'true')), headers: { 'content-type': 'text/plain' } });
    expect(unlabelled.status).toBe(400);
    expect(unlabelled.body.error?.message).toContain('Content-Type: application/json');
    const huge = await api.call('POST', '/api/v1/operations', { rawBody: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } });
    expect(huge.status).toBe(413);
    expect(huge.body.error?.code).toBe('too_large');
  });

  it('refuses a chunked body that states no length once it grows past the limit, and starts nothing', async () => {
    const before = (await api.host.engine.call('runs.list', { limit: 1000 })).length;
    // A stream of JSON with no Content-Length: only counting what arrives can tell it is too large.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`{"name": "${'x'.repeat(2 * 1024 * 1024)}`));
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
      },
    });
    const response = await fetch(`http://127.0.0.1:${api.host.server.port}/api/v1/operations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.host.server.token}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('too_large');
    expect((await api.host.engine.call('runs.list', { limit: 1000 })).length).toBe(before);
  });
});

describe('GET /api/v1/operations', () => {
  it('filters by status, workflow and time, newest first, in pages', async () => {
    const { id: workflowId } = await api.host.engine.call('workflows.save', { workflow: { name: 'listed', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' } }] } });
    const started: string[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await api.call<Operation>('POST', '/api/v1/operations', { body: { workflowId, baseDir: api.host.root } });
      started.push(answer.body.data!.id);
      await ended(answer.body.data!.id);
    }
    const page = (query: string) => api.call<{ operations: OperationSummary[]; nextOffset: number | null }>('GET', `/api/v1/operations?${query}`);

    const all = await page(`workflow=${workflowId}`);
    expect(all.status).toBe(200);
    expect(all.body.data!.operations.map((operation) => operation.id)).toEqual([...started].reverse());
    expect(all.body.data!.nextOffset).toBeNull();

    const first = await page(`workflow=${workflowId}&limit=2`);
    expect(first.body.data!.operations.map((operation) => operation.id)).toEqual([started[2], started[1]]);
    expect(first.body.data!.nextOffset).toBe(2);
    const second = await page(`workflow=${workflowId}&limit=2&offset=2`);
    expect(second.body.data!.operations.map((operation) => operation.id)).toEqual([started[0]]);

    const failedOnly = await page(`workflow=${workflowId}&status=failed,cancelled`);
    expect(failedOnly.body.data!.operations).toEqual([]);
    const succeeded = await page(`workflow=${workflowId}&status=succeeded`);
    expect(succeeded.body.data!.operations).toHaveLength(3);

    const firstCreated = all.body.data!.operations[2]!.createdAt;
    const since = await page(`workflow=${workflowId}&since=${encodeURIComponent(new Date(Date.parse(firstCreated) + 1).toISOString())}`);
    expect(since.body.data!.operations.map((operation) => operation.id)).not.toContain(started[0]);
    const until = await page(`workflow=${workflowId}&until=${encodeURIComponent(new Date(Date.parse(firstCreated) + 1).toISOString())}`);
    expect(until.body.data!.operations.map((operation) => operation.id)).toEqual([started[0]]);
  });

  it('refuses a bad filter naming it', async () => {
    for (const [query, place] of [
      ['status=sleeping', 'query.status[0]'],
      ['limit=0', 'query.limit'],
      ['since=yesterday', 'query.since'],
      ['colour=red', 'query'],
    ]) {
      const answer = await api.call('GET', `/api/v1/operations?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error?.issues?.map((issue) => issue.place), query).toContain(place);
    }
  });
});

describe('GET and DELETE /api/v1/operations/:id', () => {
  it('answers 404 for an operation that does not exist', async () => {
    const answer = await api.call('GET', '/api/v1/operations/nope-nope-nope');
    expect(answer.status).toBe(404);
    expect(answer.body.error?.code).toBe('not_found');
    expect((await api.call('DELETE', '/api/v1/operations/nope-nope-nope')).status).toBe(404);
  });

  it('cancels a running operation, stopping its process; a second cancel is a conflict', async () => {
    const answer = await api.call<Operation>('POST', '/api/v1/operations', { body: shellOperation('long', 'sleep 60') });
    const id = answer.body.data!.id;
    await eventually(async () => ((await api.call<Operation>('GET', `/api/v1/operations/${id}`)).body.data!.steps[0]!.status === 'running' ? true : undefined), 'the step to run');
    const cancelled = await api.call<Operation>('DELETE', `/api/v1/operations/${id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data!.status).toBe('cancelled');
    expect(cancelled.body.data!.steps[0]!.status).toBe('cancelled');
    const again = await api.call('DELETE', `/api/v1/operations/${id}`);
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('conflict');
  });
});
