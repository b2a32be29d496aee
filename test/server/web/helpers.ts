/**
 * The browser host on real loopback for tests: a temporary data folder, a small built-renderer
 * stand-in, a real engine, and raw HTTP and WebSocket clients that can send the headers a browser
 * (or an attacker) would.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createEngine, type Engine, type EngineOptions } from '../../../electron/engine/index.js';
import { startWebServer, type WebServer, type WebServerOptions } from '../../../electron/server/web/index.js';

export const indexHtml = '<!doctype html><html><head><script type="module" crossorigin src="/assets/index-Bx7f3a.js"></script></head><body><div id="root"></div></body></html>\n';
export const assetJs = 'console.log("photon");\n';
export const assetCss = 'body { margin: 0; }\n';
/** Lies next to the static folder: no request may ever read it. */
export const secretText = 'TOP-SECRET-OUTSIDE-STATIC';

export interface TestHost {
  root: string;
  dataDir: string;
  staticDir: string;
  engine: Engine;
  server: WebServer;
  /** Stops the server, keeping the engine and folders (for restart tests). */
  stopServer(): Promise<void>;
  close(): Promise<void>;
}

export function makeTempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `photon-${label}-`));
}

/** What `npm run build` leaves in out/renderer, in miniature. */
export function writeStaticDir(dir: string, withIndex = true): void {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  if (withIndex) writeFileSync(join(dir, 'index.html'), indexHtml);
  writeFileSync(join(dir, 'assets', 'index-Bx7f3a.js'), assetJs);
  writeFileSync(join(dir, 'assets', 'index-C9d2e1.css'), assetCss);
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, '.env'), 'HIDDEN=1\n');
}

export async function startTestHost(options: { withIndex?: boolean } & Partial<WebServerOptions> = {}): Promise<TestHost> {
  const root = makeTempDir('web');
  writeStaticDir(join(root, 'static'), options.withIndex ?? true);
  writeFileSync(join(root, 'secret.txt'), secretText);
  const { withIndex: _withIndex, ...serverOptions } = options;
  return startHostIn(root, serverOptions);
}

/**
 * A real engine and the browser host over `root`, whose static folder the caller has written:
 * data in root/data, the page from root/static; closing the host removes `root`.
 */
export async function startHostIn(
  root: string,
  serverOptions: Partial<WebServerOptions> = {},
  engineOptions: Partial<EngineOptions> = {},
): Promise<TestHost> {
  const dataDir = join(root, 'data');
  const staticDir = join(root, 'static');
  const engine = await createEngine({ dataDir, host: 'server', killGraceMs: 150, ...engineOptions });
  const server = await startWebServer({ engine, port: 0, dataDir, staticDir, ...serverOptions });
  return {
    root,
    dataDir,
    staticDir,
    engine,
    server,
    stopServer: () => server.close(),
    async close() {
      await server.close();
      await engine.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Host header to send instead of the real `127.0.0.1:PORT`; null sends none at all. */
  host?: string | null;
  /** Address to connect to; loopback unless a test means otherwise. */
  address?: string;
}

/** A raw request: the path goes on the wire exactly as given (no normalisation of `..`). */
export function get(port: number, path: string, options: HttpOptions = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.host) headers.host = options.host;
    const request = httpRequest(
      { host: options.address ?? '127.0.0.1', port, path, method: options.method ?? 'GET', headers, setHost: options.host !== null, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export type SocketAttempt = { ok: true; socket: WebSocket } | { ok: false; status: number };

/** Opens a WebSocket, or reports the status the server refused the upgrade with. */
export function openSocket(
  port: number,
  options: { path?: string; headers?: Record<string, string>; origin?: string; host?: string } = {},
): Promise<SocketAttempt> {
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers, ...(options.host ? { host: options.host } : {}) };
    const socket = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/rpc'}`, { headers, origin: options.origin, perMessageDeflate: false });
    socket.once('open', () => resolve({ ok: true, socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ ok: false, status: response.statusCode ?? 0 });
      socket.on('error', () => undefined);
      response.resume();
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** Resolves with the close code once the socket is closed. */
export function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) resolve(-1);
    socket.once('close', (code) => resolve(code));
  });
}

/** The next message on the socket, parsed. */
export function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
}
