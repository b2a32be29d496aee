/**
 * Terminal output on the page's WebSocket as binary frames (shared/terminal-frames.ts), end to end
 * but for Chromium: a real engine and pty, `photon serve`'s web server, and on the other side the
 * renderer's own transport, client, output subscription and TerminalPipe over a real socket (ws in
 * place of the browser's WebSocket). What a user would notice: a character or escape sequence cut
 * across the process's writes arrives whole, views on the JSON and binary wires see the same text,
 * the page's xterm is given bytes (no string made per batch) and acknowledges every character, and
 * a page that stops consuming still holds the process back.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { EventEnvelope } from '../../../shared/api.js';
import { decodeTerminalAck, decodeTerminalData, encodeTerminalAck, encodeTerminalData, terminalDataFrameText } from '../../../shared/terminal-frames.js';
import { outputWork, terminalFlow } from '../../../shared/terminals.js';
import { createClient, type RendererClient } from '../../../renderer/client/photon-client.js';
import { createWebSocketTransport, rpcUrl, type SocketLike } from '../../../renderer/client/websocket-transport.js';
import { onTerminalOutput } from '../../../renderer/terminals/terminal-output.js';
import { TerminalPipe } from '../../../renderer/terminals/terminal-pipe.js';
import { FrameBuffers } from '../../../electron/server/web/frame-buffers.js';
import { bearer, startTestHost, type TestHost } from './helpers.js';

let host: TestHost;

beforeAll(async () => {
  host = await startTestHost();
});

afterAll(async () => {
  await host?.close();
});

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The page's client: the renderer's transport on a real socket to the page's URL (binary terminal output asked for). */
async function pageClient(): Promise<{ client: RendererClient; raw: { binary: number; text: number; replies: number; sentBinary: number; sentText: number } }> {
  const raw = { binary: 0, text: 0, replies: 0, sentBinary: 0, sentText: 0 };
  const transport = createWebSocketTransport({
    url: rpcUrl({ protocol: 'http:', host: `127.0.0.1:${host.server.port}` }),
    createSocket: (url) => {
      const socket = new WebSocket(url, { headers: bearer(host.server.token), perMessageDeflate: false });
      socket.on('message', (data, isBinary) => {
        if (isBinary) return void raw.binary++;
        raw.text++;
        if (!('event' in (JSON.parse(String(data)) as object))) raw.replies++;
      });
      const send = socket.send.bind(socket);
      socket.send = ((data: string | Uint8Array) => {
        if (typeof data === 'string') raw.sentText++;
        else raw.sentBinary++;
        send(data);
      }) as typeof socket.send;
      return socket as unknown as SocketLike;
    },
  });
  await until(() => transport.state().status === 'open', 'the page socket to open');
  return { client: createClient(transport), raw };
}

/**
 * A view of a terminal: the renderer's pipe into a string, as the registry wires it; `consume:
 * false` is a page that stalls (xterm never done). `writes` is what xterm would have been handed.
 */
function view(client: RendererClient, id: string, consume = true) {
  const shown = { text: '', stalled: [] as (() => void)[], writes: [] as ('text' | 'bytes')[], scrollbackChars: 0 };
  // Fatal: every frame must be whole UTF-8 sequences, as xterm is given them one by one.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const pipe = new TerminalPipe(client, id, {
    write: (data, done) => {
      shown.writes.push(typeof data === 'string' ? 'text' : 'bytes');
      if (typeof data === 'string') shown.scrollbackChars += data.length;
      shown.text += typeof data === 'string' ? data : decoder.decode(data);
      if (consume) done();
      else shown.stalled.push(done);
    },
    reset: () => void (shown.text = ''),
  });
  const off = onTerminalOutput(client, (outputId, data, chars) => outputId === id && pipe.receive(data, chars));
  return { pipe, shown, stop: () => (off(), pipe.dispose()) };
}

/**
 * A terminal printing `lines` lines of `line` (after half a second) and then END, seen through a
 * view to its end; `attached` runs once the view is attached, before any of the flood.
 */
async function showFlood(client: RendererClient, line: string, lines: number, attached?: () => void): Promise<ReturnType<typeof view>> {
  const terminal = await client.call('terminals.create', { cwd: host.root, command: `sleep 0.5; yes '${line}' | head -n ${lines}; echo 'EN''D'` });
  const shown = view(client, terminal.id);
  await shown.pipe.attach();
  attached?.();
  await until(() => shown.shown.text.endsWith('END\r\n'), 'the page to show the end of the flood');
  expect(shown.shown.text).toBe(`${line}\r\n`.repeat(lines) + 'END\r\n');
  return shown;
}

describe('terminal output as binary frames', () => {
  it('round-trips any text, surrogate pairs and control bytes included', () => {
    const id = 'a1b2c3d4-0000-4000-8000-000000000000';
    for (const data of ['', 'plain', '\x00\x1b[31mred\x1b[0m\r\n', 'é€😀 日本語 \u{10FFFF}', 'x'.repeat(200_000) + '😀']) {
      const frame = encodeTerminalData(id, data);
      const decoded = decodeTerminalData(frame);
      expect(decoded.id).toBe(id);
      expect(new TextDecoder('utf-8', { fatal: true }).decode(decoded.bytes)).toBe(data);
      // What flow control counts: UTF-16 code units, told by the header, not the bytes.
      expect(decoded.chars).toBe(data.length);
      // A view on the frame: the text is not copied.
      expect(decoded.bytes.buffer).toBe(frame.buffer);
      // The server sends the frame's text, which Node writes to the socket as UTF-8: the same bytes.
      expect(new Uint8Array(Buffer.from(terminalDataFrameText(id, data), 'utf8'))).toEqual(frame);
    }
    expect(() => terminalDataFrameText('é'.repeat(3), 'x')).toThrow(/printable ASCII/);
    expect(() => decodeTerminalData(new Uint8Array([7, 0]))).toThrow(/kind 7.*not terminal\.data/);
    // The retired kind 1 (no count): an old server's frame is named, not shown as garbage.
    expect(() => decodeTerminalData(new Uint8Array([1, 1, 0x61, 0x78]))).toThrow(/kind 1.*not terminal\.data \(kind 2\)/);
    expect(() => decodeTerminalData(new Uint8Array([2, 1, 0x61, 3, 0x31]))).toThrow(/shorter than its header says/);
    expect(() => decodeTerminalData(new Uint8Array([2, 1, 0x61, 1, 0x78, 0x78]))).toThrow(/not a decimal digit/);
  });

  it('round-trips an acknowledgement and names a malformed one', () => {
    const id = 'a1b2c3d4-0000-4000-8000-000000000000';
    for (const chars of [0, 1, 200_000, 100_000_000]) expect(decodeTerminalAck(encodeTerminalAck(id, chars))).toEqual({ id, chars });
    expect(() => encodeTerminalAck(id, -1)).toThrow(/whole characters/);
    expect(() => decodeTerminalAck(encodeTerminalData(id, '12'))).toThrow(/kind 2.*not a terminal acknowledgement/);
    expect(() => decodeTerminalAck(new Uint8Array([3, 1, 0x61]))).toThrow(/count of 1 to 15 digits/);
    expect(() => decodeTerminalAck(new Uint8Array([3, 1, 0x61, 0x31, 0x78]))).toThrow(/not a decimal digit/);
  });

  it('takes the acknowledgements of a flood as frames it does not answer, the process running to its end', async () => {
    const page = await pageClient();
    const line = 'ack-flood-0123456789-abcdefghijklmnopqrstuvwxyz';
    const lines = 100_000;
    let before = { ...page.raw };
    const shown = await showFlood(page.client, line, lines, () => (before = { ...page.raw }));
    // 4.9 million characters, almost four windows: the process ran to its end only because the
    // engine counted what the page acknowledged, in frames (one a window at the very least).
    expect(page.raw.sentBinary - before.sentBinary).toBeGreaterThanOrEqual(Math.floor(((line.length + 2) * lines) / terminalFlow.highWatermark));
    expect(page.raw.sentText - before.sentText).toBe(0);
    // Nothing came back for them: the page received events meanwhile, no reply.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(page.raw.replies - before.replies).toBe(0);
    shown.stop();
    page.client.transport.close();
  });

  it('brings a character or escape sequence cut across writes whole to the page, as the JSON wire does', async () => {
    const page = await pageClient();
    // A client of the socket that did not ask for these frames keeps JSON text: a script with an API
    // key, or a page built before them, which asks for the retired kind 1 (`binary`) it could not read now.
    const plain = new WebSocket(`ws://127.0.0.1:${host.server.port}/rpc?terminal-data=binary`, { headers: bearer(host.server.token), perMessageDeflate: false });
    const plainEvents: EventEnvelope[] = [];
    const plainFrames = { binary: 0 };
    plain.on('message', (data, isBinary) => {
      if (isBinary) plainFrames.binary++;
      else {
        const message = JSON.parse(String(data)) as EventEnvelope;
        if ('event' in message) plainEvents.push(message);
      }
    });
    await new Promise((resolve) => plain.once('open', resolve));

    // Octal escapes: € (342 202 254) and 😀 (360 237 230 200) split between writes, and an SGR
    // sequence cut in two; then many lines of multibyte text that the pty reads in arbitrary cuts.
    const command =
      "sleep 0.5; printf 'A\\342\\202'; sleep 0.2; printf '\\254B\\360\\237'; sleep 0.2; printf '\\230\\200C\\033[3'; sleep 0.2; " +
      "printf '1mred\\033[0m\\n'; yes 'aé€😀b' | head -n 20000; echo 'EN''D'";
    const expected = 'A€B😀C\x1b[31mred\x1b[0m\r\n' + 'aé€😀b\r\n'.repeat(20_000) + 'END\r\n';
    const terminal = await page.client.call('terminals.create', { cwd: host.root, command });
    const shown = view(page.client, terminal.id);
    await shown.pipe.attach();
    const plainSeen = () => plainEvents.filter((e) => e.event === 'terminal.data').map((e) => (e.payload as { data: string }).data).join('');
    plain.send(JSON.stringify({ id: 1, method: 'terminals.attach', params: { id: terminal.id } }));

    await until(() => shown.shown.text.endsWith('END\r\n'), 'the page to show the end of the output');
    expect(shown.shown.text).toBe(expected);
    expect(shown.shown.text).not.toContain('\uFFFD');
    expect(page.raw.binary).toBeGreaterThan(0);
    // Live output reaches xterm as the frames' bytes: only the scrollback written at attach is text.
    expect(shown.shown.writes.slice(1)).not.toContain('text');
    expect(shown.shown.writes.filter((kind) => kind === 'bytes').length).toBeGreaterThan(0);
    // Every character shown live was acknowledged, counted as the engine counts (UTF-16 code units, not bytes).
    // (This view consumes each write at once, so the count is final when the text is.)
    expect(shown.pipe.consumed).toBe(expected.length - shown.shown.scrollbackChars);
    await until(() => plainSeen().endsWith('END\r\n'), 'the JSON client to see the end of the output');
    // It attached after the first writes: what it saw live is the same text from where it joined.
    expect(expected.endsWith(plainSeen())).toBe(true);
    expect(plainFrames.binary).toBe(0);
    shown.stop();
    plain.close();
    page.client.transport.close();
  });

  it("sends a flood in frames of the pty's bytes made in a few buffers reused, the page seeing every byte", async () => {
    const take = vi.spyOn(FrameBuffers.prototype, 'take');
    try {
      const page = await pageClient();
      const line = 'flood-0123456789-é€😀-abcdefghijklmnopqrstuvwxyz';
      // About 17 MB of the view's work: at most a quarter of the window a frame (the engine's
      // largest batch), that is at least 40 frames however the batches fall. 100,000 lines made
      // 20 full batches at the least, and a fresh clone's CI once saw 19 frames.
      const lines = 200_000;
      const shown = await showFlood(page.client, line, lines);
      const buffers = new Set(take.mock.results.map((result) => result.value as Uint8Array));
      // Dozens of frames in a handful of buffers (a buffer per frame: one each).
      expect(take.mock.calls.length).toBeGreaterThan(20);
      expect(buffers.size, `${buffers.size} buffers for ${take.mock.calls.length} frames`).toBeLessThanOrEqual(6);
      shown.stop();
      page.client.transport.close();
    } finally {
      take.mockRestore();
    }
  });

  it('holds the process back while the page does not consume, and lets it go once it does', async () => {
    const page = await pageClient();
    const terminal = await page.client.call('terminals.create', { cwd: host.root, command: 'yes flood-line' });
    const stalled = view(page.client, terminal.id, false);
    await stalled.pipe.attach();
    // The window counts xterm's work (a line feed as 30 characters), not characters.
    await until(() => outputWork(stalled.shown.text) > terminalFlow.highWatermark, 'a window of output');
    // Paused: what arrives stops short of the window, a batch, and what the pty host had read before
    // the pause reached it (it holds back past 1 MiB unsent: pty-host-main.js maxBacklog, plus a
    // 64 KiB pipe), however long we wait. Under load the host reads on while the engine waits for a core.
    const line = 'flood-line\r\n';
    const ptyHostInFlight = ((1024 * 1024 + 64 * 1024) / line.length) * outputWork(line);
    const bound = terminalFlow.highWatermark + 2 * Math.ceil(terminalFlow.highWatermark / 4) + ptyHostInFlight;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const held = outputWork(stalled.shown.text);
    expect(held).toBeLessThan(bound);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(outputWork(stalled.shown.text)).toBe(held);
    // xterm catches up: the acknowledgements resume the process.
    for (const done of stalled.shown.stalled.splice(0)) done();
    await until(() => outputWork(stalled.shown.text) > held + terminalFlow.highWatermark / 2, 'the output to flow again');
    stalled.stop();
    await page.client.call('terminals.kill', { id: terminal.id });
    page.client.transport.close();
  });
});
