/**
 * The contract over WebSocket at /rpc: each text frame is a request for the engine's dispatcher,
 * each reply goes back on the same socket, and every engine event goes to every open socket except
 * a terminal's output, which goes only to the sockets attached to that terminal (as binary frames
 * to those that asked, `?terminal-data=bytes`: shared/terminal-frames.ts).
 * The host adds no behaviour; it only minds the wire: size, backpressure and dead peers.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { KeyPrincipal } from '../../../shared/access.js';
import { maxMessageBytes, maxRequestIdChars, type EventEnvelope, type ReplyEnvelope } from '../../../shared/api.js';
import type { ErrorBody } from '../../../shared/errors.js';
import { binaryTerminalDataQuery, decodeTerminalAck, terminalAckFrameKind, terminalDataFrameFromBytes, terminalDataFrameText } from '../../../shared/terminal-frames.js';
import type { CallContext, Engine } from '../../engine/index.js';
import { startSocketHeartbeat } from '../socket-heartbeat.js';
import { FrameBuffers } from './frame-buffers.js';

/** Close code for a client too slow to keep up: reconnect, then catch up with `runs.get`. */
export const laggingCloseCode = 1013;

export interface RpcSocketsOptions {
  engine: Pick<Engine, 'dispatch' | 'dispatchText' | 'onAny' | 'clientDisconnected' | 'isAttached'> & Partial<Pick<Engine, 'terminalOutputBytes'>>;
  /**
   * Frames above this close the socket (1009) unread. It sits well above the contract's limit so a
   * request that is too large but sane reaches the engine and gets its `invalid` reply.
   */
  maxPayloadBytes?: number;
  /** Bytes queued for one socket beyond which it is closed with 1013 rather than buffered without end. */
  maxBufferedBytes?: number;
  /** How often each socket is pinged; one that has not answered the previous ping is dropped. */
  heartbeatIntervalMs?: number;
}

/** A socket opened with an API key rather than the app's own token. */
export interface SocketCaller {
  key: KeyPrincipal;
  address: string;
  /**
   * Asked before each request: the key must still open (a revocation counts from the next message)
   * and stay under its rate limit. `close`: the key opens nothing any more, so the socket ends.
   */
  admit(): Promise<{ ok: true } | { ok: false; error: ErrorBody; close: boolean }>;
}

/** Close code for a socket whose key was revoked or expired: WebSocket's policy violation. */
export const keyRefusedCloseCode = 1008;

export interface RpcSockets {
  /** Completes an upgrade that the request guard has already let through; `caller` when it came with an API key. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, caller?: SocketCaller): void;
  readonly openCount: number;
  /**
   * Resolves once no request is waiting for its reply and every reply given so far has been
   * written to its socket, so a listener being replaced can close without losing an answer.
   */
  idle(): Promise<void>;
  /** Closes every socket (1001), ending those that do not finish the close handshake quickly. */
  close(): Promise<void>;
}

export function createRpcSockets(options: RpcSocketsOptions): RpcSockets {
  const { engine } = options;
  const maxBuffered = options.maxBufferedBytes ?? 8 * 1024 * 1024;
  const server = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: options.maxPayloadBytes ?? 4 * maxMessageBytes,
    // Compression would let a small frame inflate into a large one; requests are small anyway.
    perMessageDeflate: false,
  });
  /** Each open socket and the engine client it speaks for. */
  const clients = new Map<WebSocket, string>();
  /** Sockets that asked for terminal output in binary frames (shared/terminal-frames.ts); the others get JSON text. */
  const binaryTerminalData = new WeakSet<WebSocket>();
  const frameBuffers = new FrameBuffers();
  let unsubscribe: (() => void) | undefined;
  let closing = false;
  /** Requests received whose reply is not yet written to the socket, and who waits for none to be. */
  let inFlight = 0;
  const whenIdle: (() => void)[] = [];
  const settled = (): void => {
    inFlight -= 1;
    if (inFlight > 0) return;
    for (const done of whenIdle.splice(0)) done();
  };

  /** `binary`: it goes as a binary message (a text's UTF-8 is the frame: shared/terminal-frames.ts). */
  const send = (socket: WebSocket, text: string | Uint8Array, binary = false, written?: () => void): void => {
    if (socket.readyState !== WebSocket.OPEN) return written?.();
    socket.send(text, { binary }, written && (() => written()));
    // A client that stopped reading would otherwise hold every event ever sent in our memory.
    if (socket.bufferedAmount > maxBuffered) socket.close(laggingCloseCode, 'too far behind: reconnect to catch up');
  };

  const forwardEvent = (envelope: EventEnvelope): void => {
    // A window that does not show a terminal has no use for its output, which can run to megabytes
    // a second: sending it anyway costs both ends and can get a bystander closed as lagging.
    const output = envelope.event === 'terminal.data' ? (envelope as EventEnvelope<'terminal.data'>).payload : null;
    let text: string | undefined;
    let frame: string | Uint8Array | undefined;
    /** The reused memory the frame is in, and how many have yet to be done with it (this loop, then each socket's write). */
    let memory: Uint8Array | undefined;
    let users = 1;
    const release = () => {
      if (--users === 0 && memory) frameBuffers.give(memory);
    };
    for (const [socket, clientId] of clients) {
      if (output !== null && !engine.isAttached(output.id, clientId)) continue;
      if (output !== null && binaryTerminalData.has(socket)) {
        if (frame === undefined) {
          const bytes = engine.terminalOutputBytes?.(output);
          // Made of the bytes the pty gave where the engine has them, else of the text.
          frame = bytes
            ? terminalDataFrameFromBytes(output.id, output.data.length, bytes, (length) => (memory = frameBuffers.take(length)))
            : terminalDataFrameText(output.id, output.data);
        }
        users++;
        send(socket, frame, true, release);
        continue;
      }
      text ??= JSON.stringify(envelope);
      send(socket, text);
    }
    release();
  };

  const attach = (socket: WebSocket, caller: SocketCaller | undefined): void => {
    // Each socket is one client of the engine: per-client state (terminal flow control) is keyed by it.
    // A key's calls carry it, so the dispatcher holds them to its scope.
    const context: CallContext = { clientId: `ws-${randomUUID()}`, ...(caller ? { key: caller.key, address: caller.address } : {}) };
    clients.set(socket, context.clientId);
    heartbeat.watch(socket);
    // Subscribed only while someone listens, so the engine builds no event payloads for nobody.
    unsubscribe ??= engine.onAny(forwardEvent);

    socket.on('message', (data, isBinary) => {
      inFlight += 1;
      const handled = isBinary && binaryTerminalData.has(socket) ? acknowledge(socket, data, context, caller) : undefined;
      (handled ?? reply(socket, data, isBinary, context, caller)).catch((error: unknown) => {
        console.error('photon serve: a request on the contract socket failed:', error);
        settled();
      });
    });
    // ws has already closed the socket (1009 for an oversized frame, 1007 for bad UTF-8, ...); the
    // listener only keeps the error from reaching the process as an unhandled 'error' event.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clients.delete(socket);
      // A view that is gone must not hold any terminal back.
      try {
        engine.clientDisconnected(context.clientId);
      } catch (error) {
        console.error('photon serve: releasing a closed client failed:', error);
      }
      if (clients.size === 0 && unsubscribe) {
        unsubscribe();
        unsubscribe = undefined;
      }
    });
  };

  const reply = async (socket: WebSocket, data: RawData, isBinary: boolean, context: CallContext, caller: SocketCaller | undefined): Promise<void> => {
    if (caller) {
      const verdict = await caller.admit();
      if (!verdict.ok) {
        // The refusal goes out first, so the client learns why before the socket ends.
        send(socket, JSON.stringify({ id: requestIdOf(data), ok: false, error: verdict.error } satisfies ReplyEnvelope), false, settled);
        // A close reason may hold at most 123 bytes.
        if (verdict.close) socket.close(keyRefusedCloseCode, Buffer.from(verdict.error.message).subarray(0, 120).toString());
        return;
      }
    }
    send(socket, JSON.stringify(await answer(data, isBinary, context)), false, settled);
  };

  /**
   * A view's acknowledgement in a binary frame (shared/terminal-frames.ts): the `terminals.ack` call
   * it stands for, dispatched as any request from this socket is (the key admitted, the scope and
   * the params checked), with no reply. Undefined for a frame that is not one, which is answered as before.
   */
  const acknowledge = (socket: WebSocket, data: RawData, context: CallContext, caller: SocketCaller | undefined): Promise<void> | undefined => {
    const frame = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    if (frame[0] !== terminalAckFrameKind) return undefined;
    return (async () => {
      try {
        const { id, chars } = decodeTerminalAck(frame);
        if (caller) {
          const verdict = await caller.admit();
          if (!verdict.ok) {
            if (verdict.close) socket.close(keyRefusedCloseCode, Buffer.from(verdict.error.message).subarray(0, 120).toString());
            return;
          }
        }
        // A refusal (a terminal closed meanwhile, a scope without terminals) has nobody to tell: the page asked for no answer.
        // Dispatched as the object it decoded to: a flood sends dozens a second, and as text each was written and parsed again.
        await engine.dispatch({ id: 0, method: 'terminals.ack', params: { id, chars } }, context);
      } catch {
        // A malformed acknowledgement is ignored as a refused one is: it acknowledges nothing.
      } finally {
        settled();
      }
    })();
  };

  const answer = async (data: RawData, isBinary: boolean, context: CallContext): Promise<ReplyEnvelope> => {
    if (isBinary) return { id: null, ok: false, error: { code: 'invalid', message: 'send requests as JSON in text frames' } };
    try {
      return await engine.dispatchText(rawText(data), context);
    } catch (error) {
      // dispatchText never throws; should it ever, the client still gets an answer and the host lives.
      return { id: null, ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
    }
  };

  const heartbeat = startSocketHeartbeat(() => clients.keys(), options.heartbeatIntervalMs ?? 30_000);

  return {
    handleUpgrade(request, socket, head, caller) {
      if (closing) {
        socket.destroy();
        return;
      }
      const binary = asksForBinaryTerminalData(request.url);
      server.handleUpgrade(request, socket, head, (ws) => {
        if (binary) binaryTerminalData.add(ws);
        attach(ws, caller);
      });
    },
    get openCount() {
      return clients.size;
    },
    idle() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((done) => whenIdle.push(done));
    },
    async close() {
      closing = true;
      heartbeat.stop();
      const closed = [...clients.keys()].map((socket) => new Promise<void>((done) => socket.once('close', () => done())));
      for (const socket of clients.keys()) socket.close(1001, 'Photon is shutting down');
      const grace = new Promise<void>((done) => setTimeout(done, 1000).unref());
      await Promise.race([Promise.all(closed), grace]);
      for (const socket of clients.keys()) socket.terminate();
      await Promise.all(closed);
      unsubscribe?.();
      unsubscribe = undefined;
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** The id of a refused request, so its caller's promise settles; null when there is none to read. */
function requestIdOf(data: RawData): number | string | null {
  try {
    const id = (JSON.parse(rawText(data)) as { id?: unknown }).id;
    return typeof id === 'number' || (typeof id === 'string' && id.length <= maxRequestIdChars) ? id : null;
  } catch {
    return null;
  }
}

/** Whether the upgrade's URL asks for terminal output in binary frames (`?terminal-data=bytes`; a page that asks for the retired `binary` gets JSON). */
function asksForBinaryTerminalData(url: string | undefined): boolean {
  if (url === undefined) return false;
  return new URL(url, 'http://localhost').searchParams.get(binaryTerminalDataQuery.name) === binaryTerminalDataQuery.value;
}
