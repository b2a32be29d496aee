/**
 * GET /api/v1/operations answered from a page kept while the database is unchanged: an ETag names
 * each page and If-None-Match gets 304 while it holds, yet nothing sent is older than the runs,
 * whether they changed in this engine or through another process on the same database.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope, Operation, OperationSummary } from '../../../shared/rest.js';
import { startEngine } from '../../engine/helpers.js';
import { eventually, useApiHost } from './helpers.js';

const api = useApiHost();

type Page = { operations: OperationSummary[]; nextOffset: number | null };

async function list(headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string; page?: Page }> {
  const response = await fetch(`http://127.0.0.1:${api.host.server.port}/api/v1/operations?limit=5`, {
    headers: { authorization: `Bearer ${api.host.server.token}`, ...headers },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, page: response.status === 200 ? (JSON.parse(text) as Envelope<Page>).data! : undefined };
}

async function start(command: string): Promise<string> {
  const answer = await api.call<Operation>('POST', '/api/v1/operations', { body: { name: command, workflow: [{ step: 1, platform: 'shell', inputs: { command } }], baseDir: api.host.root } });
  expect(answer.status).toBe(201);
  return answer.body.data!.id;
}

const statusIn = (page: Page | undefined, id: string) => page?.operations.find((operation) => operation.id === id)?.status;

describe('the list of operations, kept between changes', () => {
  it('answers 304 to If-None-Match while nothing changed, and the changed page as soon as a run changes', async () => {
    const first = await start('true');
    await api.host.engine.waitForRun(first);

    const fresh = await list();
    expect(fresh.status).toBe(200);
    expect(statusIn(fresh.page, first)).toBe('succeeded');
    const etag = fresh.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(fresh.headers.get('cache-control')).toBe('no-cache');

    const unchanged = await list({ 'if-none-match': etag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.text).toBe('');
    expect(unchanged.headers.get('etag')).toBe(etag);
    expect(unchanged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // Another client's copy, or a list of tags, still matches.
    expect((await list({ 'if-none-match': `"other", ${etag.slice(2)}` })).status).toBe(304);
    const again = await list();
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.text).not.toBe(fresh.text);
    expect(again.page).toEqual(fresh.page);

    // A run starts: the page kept so far is not served again.
    const second = await start('sleep 0.3');
    const running = await list({ 'if-none-match': etag });
    expect(running.status).toBe(200);
    expect(statusIn(running.page, second)).toBe('running');
    const runningTag = running.headers.get('etag')!;
    expect(runningTag).not.toBe(etag);

    // It ends, with nothing else asked of the API: the next list says so.
    await api.host.engine.waitForRun(second);
    const ended = await list({ 'if-none-match': runningTag });
    expect(ended.status).toBe(200);
    expect(statusIn(ended.page, second)).toBe('succeeded');
  });

  it('shows at once a run another process wrote to the same database', async () => {
    const before = await list();
    const etag = before.headers.get('etag')!;
    expect((await list({ 'if-none-match': etag })).status).toBe(304);

    // `photon run` in another terminal: another engine, its own connection to the same file.
    const other = await startEngine(api.host.dataDir);
    let runId: string;
    try {
      ({ runId } = await other.call('runs.start', { baseDir: api.host.root, workflow: { name: 'from the CLI', workflow: [{ step: 1, platform: 'shell', dependencies: [], inputs: { command: 'true' } }] } }));
      await other.waitForRun(runId);
    } finally {
      await other.close();
    }
    const after = await list({ 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(statusIn(after.page, runId)).toBe('succeeded');
    expect(after.page!.operations[0]!.id).toBe(runId);
    await eventually(async () => ((await list({ 'if-none-match': after.headers.get('etag')! })).status === 304 ? true : undefined), 'the new page to be kept');
  });
});
