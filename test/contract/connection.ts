/**
 * A contract client seen from the wire: raw envelopes in and out, so the suite can send what a
 * well-behaved client never would. Two transports implement it: the engine's in-process
 * dispatcher and a real WebSocket to the browser host on loopback.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createEngine, type Engine } from '../../electron/engine/index.js';
import { startWebServer } from '../../electron/server/web/index.js';
import type { EventEnvelope, ReplyEnvelope } from '../../shared/api.js';

export interface ContractConnection {
  /** Folder the suite's runs use as their base directory. */
  readonly workDir: string;
  /** Folder on the engine's PATH holding the Claude Code and Codex stand-ins (no Gemini, Cursor, Aider, agy). */
  readonly toolsDir: string;
  /** Sends `{ id, method, params }` and resolves with the reply carrying that id. */
  request(method: string, params?: unknown): Promise<ReplyEnvelope>;
  /** Sends raw text as one message; resolves with the reply that has no id (the text was refused before one was read). */
  sendText(text: string): Promise<ReplyEnvelope>;
  onEvent(listener: (envelope: EventEnvelope) => void): () => void;
  close(): Promise<void>;
}

export type ConnectionFactory = () => Promise<ContractConnection>;

interface Sandbox {
  root: string;
  dataDir: string;
  workDir: string;
  toolsDir: string;
  engine: Engine;
}

const standIns = join(import.meta.dirname, '..', 'fixtures', 'tools');

async function openSandbox(label: string): Promise<Sandbox> {
  const root = mkdtempSync(join(tmpdir(), `photon-contract-${label}-`));
  const workDir = join(root, 'work');
  mkdirSync(workDir);
  const toolsDir = join(root, 'bin');
  mkdirSync(toolsDir);
  symlinkSync(process.execPath, join(toolsDir, 'node'));
  for (const name of ['claude', 'codex']) symlinkSync(join(standIns, name), join(toolsDir, name));
  const dataDir = join(root, 'data');
  const engine = await createEngine({
    dataDir,
    host: 'server',
    killGraceMs: 150,
    // Tools found on this PATH alone, and secrets under a service of the suite's own.
    env: { ...process.env, PATH: `${toolsDir}:/usr/bin:/bin`, HOME: root },
    loginShell: false,
    keychainService: `Photon-contract-${randomUUID()}`,
  });
  return { root, dataDir, workDir, toolsDir, engine };
}

async function closeSandbox(sandbox: Sandbox): Promise<void> {
  await sandbox.engine.close();
  rmSync(sandbox.root, { recursive: true, force: true });
}

/** The engine's own dispatcher, as the Electron host's IPC bridge feeds it. */
export const inProcess: ConnectionFactory = async () => {
  const sandbox = await openSandbox('ipc');
  const { engine } = sandbox;
  let nextId = 1;
  return {
    workDir: sandbox.workDir,
    toolsDir: sandbox.toolsDir,
    request: (method, params) => engine.dispatch({ id: nextId++, method, params }),
    sendText: (text) => engine.dispatchText(text),
    onEvent: (listener) => engine.onAny(listener),
    close: () => closeSandbox(sandbox),
  };
};

/** The browser host on loopback, spoken to as a non-browser client does: token in the header. */
export const overWebSocket: ConnectionFactory = async () => {
  const sandbox = await openSandbox('ws');
  const staticDir = join(sandbox.root, 'static');
  mkdirSync(staticDir);
  const server = await startWebServer({ engine: sandbox.engine, port: 0, dataDir: sandbox.dataDir, staticDir });
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/rpc`, { headers: { authorization: `Bearer ${server.token}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });

  const pending = new Map<number | string, (reply: ReplyEnvelope) => void>();
  const unnamed: ((reply: ReplyEnvelope) => void)[] = [];
  const listeners = new Set<(envelope: EventEnvelope) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as ReplyEnvelope | EventEnvelope;
    if ('event' in message) {
      for (const listener of listeners) listener(message);
      return;
    }
    const waiter = message.id === null ? unnamed.shift() : pending.get(message.id);
    if (message.id !== null) pending.delete(message.id);
    waiter?.(message);
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

  const send = (text: string, register: (resolve: (reply: ReplyEnvelope) => void) => void): Promise<ReplyEnvelope> =>
    new Promise((resolve, reject) => {
      if (socket.readyState !== WebSocket.OPEN) {
        reject(new Error('the socket is closed'));
        return;
      }
      register(resolve);
      socket.send(text);
    });

  let nextId = 1;
  return {
    workDir: sandbox.workDir,
    toolsDir: sandbox.toolsDir,
    request(method, params) {
      const id = nextId++;
      return send(JSON.stringify({ id, method, params }), (resolve) => pending.set(id, resolve));
    },
    sendText: (text) => send(text, (resolve) => unnamed.push(resolve)),
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      socket.close();
      await closed;
      await server.close();
      await closeSandbox(sandbox);
    },
  };
};
