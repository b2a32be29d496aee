import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { maxMessageBytes } from '../../shared/api.js';
import { encodeTerminalData, type TerminalBytes } from '../../shared/terminal-frames.js';
import type { ConnectionState } from '../../renderer/client/transport.js';
import { backoffDelay, createWebSocketTransport, defaultBackoff, rpcUrl, type SocketLike } from '../../renderer/client/websocket-transport.js';

/** A socket the test opens, answers and drops by hand. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.drop(1000);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006, reason = '') {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  lastRequest(): { id: number; method: string; params?: unknown } {
    return JSON.parse(this.sent.at(-1)!) as { id: number; method: string; params?: unknown };
  }
}

let sockets: FakeSocket[];
const latest = () => sockets.at(-1)!;

function makeTransport(diagnose?: () => Promise<string | null>) {
  const states: ConnectionState[] = [];
  const transport = createWebSocketTransport({
    diagnose,
    url: 'ws://127.0.0.1:7420/rpc',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    random: () => 0,
  });
  transport.onState((state) => states.push(state));
  return { transport, states };
}

beforeEach(() => {
  sockets = [];
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the WebSocket transport', () => {
  it('connects to /rpc on the page origin', () => {
    expect(rpcUrl({ protocol: 'http:', host: '127.0.0.1:7420' })).toBe('ws://127.0.0.1:7420/rpc?terminal-data=bytes');
    expect(rpcUrl({ protocol: 'https:', host: 'localhost:9' })).toBe('wss://localhost:9/rpc?terminal-data=bytes');
    const { transport } = makeTransport();
    expect(latest().url).toBe('ws://127.0.0.1:7420/rpc');
    expect(transport.state().status).toBe('connecting');
    latest().open();
    expect(transport.state()).toEqual({ status: 'open', attempt: 0, retryAt: null, reason: null });
  });

  it('matches replies to requests by id, in any order', async () => {
    const { transport } = makeTransport();
    latest().open();
    const first = transport.request({ id: 1, method: 'workflows.list' });
    const second = transport.request({ id: 2, method: 'system.info' });
    expect(latest().sent.map((s) => JSON.parse(s) as unknown)).toEqual([
      { id: 1, method: 'workflows.list' },
      { id: 2, method: 'system.info' },
    ]);
    latest().receive({ id: 2, ok: true, value: 'two' });
    latest().receive({ id: 1, ok: false, error: { code: 'internal', message: 'boom' } });
    await expect(second).resolves.toEqual({ id: 2, ok: true, value: 'two' });
    await expect(first).resolves.toEqual({ id: 1, ok: false, error: { code: 'internal', message: 'boom' } });
  });

  it('passes events on and ignores unknown ones', () => {
    const { transport } = makeTransport();
    latest().open();
    const events: unknown[] = [];
    transport.onEvent((e) => events.push(e));
    latest().receive({ event: 'step.output', payload: { runId: 'r', step: 1, attempt: 1, data: 'x' } });
    latest().receive({ event: 'not.a.thing', payload: {} });
    expect(events).toEqual([{ event: 'step.output', payload: { runId: 'r', step: 1, attempt: 1, data: 'x' } }]);
  });

  it('hands terminal output frames on as views on their bytes: no text decoded, no event made, nothing copied', () => {
    const { transport } = makeTransport();
    latest().open();
    const events: unknown[] = [];
    const outputs: TerminalBytes[] = [];
    transport.onEvent((e) => events.push(e));
    transport.onTerminalBytes!((output) => outputs.push(output));
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    const texts = ['plain\r\n', 'é€😀 日本語\r\n', 'x'.repeat(100_000)];
    const frames = texts.map((text) => {
      const frame = encodeTerminalData('term-1', text);
      return frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength);
    });
    for (let round = 0; round < 100; round++) for (const frame of frames) latest().onmessage?.({ data: frame });
    expect(decode).not.toHaveBeenCalled();
    decode.mockRestore();
    expect(events).toEqual([]);
    expect(outputs).toHaveLength(300);
    outputs.slice(0, 3).forEach((output, index) => {
      expect(output.id).toBe('term-1');
      // Flow control counts UTF-16 code units, which the bytes alone do not tell: 'é€😀 日本語' is 8 of them in 19 bytes.
      expect(output.chars).toBe(texts[index]!.length);
      expect(output.bytes.buffer).toBe(frames[index]);
      expect(new TextDecoder().decode(output.bytes)).toBe(texts[index]);
    });
  });

  it('fails calls in flight when the link drops, and calls made while it is down at once', async () => {
    const { transport } = makeTransport();
    latest().open();
    const inFlight = transport.request({ id: 1, method: 'runs.start', params: { workflowId: 'w' } });
    latest().drop();
    await expect(inFlight).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('lost') });
    await expect(transport.request({ id: 2, method: 'runs.list' })).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('reconnects with a growing, capped backoff and resets it once open', () => {
    const { transport, states } = makeTransport();
    latest().drop();
    expect(transport.state()).toMatchObject({ status: 'closed', attempt: 1 });
    expect(transport.state().reason).toContain('cannot reach Photon');

    vi.advanceTimersByTime(defaultBackoff.initialMs - 1);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);

    latest().drop();
    expect(transport.state().attempt).toBe(2);
    vi.advanceTimersByTime(defaultBackoff.initialMs * 2 - 1);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);

    latest().open();
    expect(transport.state()).toMatchObject({ status: 'open', attempt: 0 });
    latest().drop();
    expect(transport.state()).toMatchObject({ status: 'closed', attempt: 1, reason: 'connection lost' });
    vi.advanceTimersByTime(defaultBackoff.initialMs);
    expect(sockets).toHaveLength(4);
    expect(states.map((s) => s.status)).toEqual(['closed', 'connecting', 'closed', 'connecting', 'open', 'closed', 'connecting']);
  });

  it('computes backoff delays: exponential, capped, jitter only shortens', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(defaultBackoff, n, 0))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffDelay(defaultBackoff, 3, 1)).toBe(1500);
  });

  it('reconnects at once on request, and never after close()', () => {
    const { transport } = makeTransport();
    latest().drop();
    transport.reconnect();
    expect(sockets).toHaveLength(2);
    latest().open();
    transport.close();
    expect(transport.state().status).toBe('closed');
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(2);
  });

  it('refuses a request larger than the server accepts without sending it', async () => {
    const { transport } = makeTransport();
    latest().open();
    const huge = 'x'.repeat(maxMessageBytes + 1);
    await expect(transport.request({ id: 1, method: 'workflows.save', params: { workflow: huge } })).rejects.toMatchObject({ code: 'invalid' });
    expect(latest().sent).toHaveLength(0);
  });

  it('ignores messages from a socket it has replaced', () => {
    const { transport } = makeTransport();
    const first = latest();
    first.drop();
    vi.advanceTimersByTime(defaultBackoff.initialMs);
    const events: unknown[] = [];
    transport.onEvent((e) => events.push(e));
    first.onmessage?.({ data: JSON.stringify({ event: 'run.updated', payload: {} }) });
    expect(events).toEqual([]);
  });

  it('explains a failed connection when the host can tell why', async () => {
    const { transport } = makeTransport(async () => 'the token was not accepted');
    latest().drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.state()).toMatchObject({ status: 'closed', attempt: 1, reason: 'the token was not accepted' });

    // A link that was open and dropped says so; no diagnosis replaces that.
    const lost = makeTransport(async () => 'should not be used');
    sockets.at(-1)!.open();
    sockets.at(-1)!.drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(lost.transport.state().reason).toBe('connection lost');
  });
});
