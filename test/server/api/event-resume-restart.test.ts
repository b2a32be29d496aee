/**
 * A client that resumes with an id from an earlier server (photon serve restarted; an EventSource
 * reconnects on its own with its last id) is told of the gap and then follows this server's
 * events: its old id says nothing about this server's numbering, which starts again from 1.
 */
import WebSocket from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, Operation } from '../../../shared/rest.js';
import { useApiHost } from './helpers.js';
import { openSse, type SseMessage } from './sse-client.js';

const api = useApiHost();
let auth: Record<string, string>;
/** Far beyond what this server has numbered: the last id a client kept from before a restart. */
const earlierServersId = '999999999';

beforeAll(() => {
  auth = { authorization: `Bearer ${api.host.server.token}` };
});

async function start(name: string): Promise<string> {
  const answer = await api.call<Operation>('POST', '/api/v1/operations', { body: { name, workflow: [{ step: 1, platform: 'shell', inputs: { command: 'echo resumed' } }], baseDir: api.host.root } });
  expect(answer.status).toBe(201);
  return answer.body.data!.id;
}

const ended = (runId: string) => (event: ApiEvent) => {
  const payload = event.payload as { runId?: string; status?: string };
  return event.event === 'run.updated' && payload.runId === runId && payload.status !== 'running' && payload.status !== 'queued';
};

describe('resuming with an earlier server\'s event id', () => {
  it('SSE: the gap, then this server\'s events as they happen', async () => {
    const stream = await openSse(`http://127.0.0.1:${api.host.server.port}/api/v1/events/stream`, { ...auth, 'last-event-id': earlierServersId });
    expect((await stream.next()).event).toBe('gap');
    const runId = await start('after a restart (SSE)');
    const seen = await stream.until((message: SseMessage) => message.event === 'run.updated' && ended(runId)(JSON.parse(message.data) as ApiEvent), 60_000);
    stream.close();
    // Numbered by this server, so the client's next resume means what it says.
    expect(Number(seen[seen.length - 1]!.id)).toBeLessThan(Number(earlierServersId));
  }, 90_000);

  it('WebSocket: the gap, then this server\'s events as they happen', async () => {
    const messages: (ApiEvent | { event: 'gap' })[] = [];
    const socket = new WebSocket(`ws://127.0.0.1:${api.host.server.port}/api/v1/events?lastEventId=${earlierServersId}`, { headers: auth });
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as ApiEvent));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    await expect.poll(() => messages[0]?.event, { timeout: 30_000 }).toBe('gap');
    const runId = await start('after a restart (ws)');
    await expect.poll(() => messages.some((message) => 'payload' in message && ended(runId)(message)), { timeout: 60_000 }).toBe(true);
    socket.close();
  }, 90_000);
});
