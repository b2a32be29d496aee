/**
 * The browser host behind `photon serve`: the built renderer and the contract over WebSocket, on
 * 127.0.0.1 only. Every request and upgrade needs the token (query, `Authorization: Bearer`, or the
 * cookie a first visit with `?token=` sets), a Host of `127.0.0.1:PORT` or `localhost:PORT`, and —
 * when a browser sends one — this server's own Origin. The REST API (`/api/v1`, `/health`, see
 * ../api) is behind the token like the rest: the only clients that want it (the CLI, tests, a
 * supervisor) hold the token anyway, and an open endpoint would tell any local page that Photon runs
 * here.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Engine } from '../../engine/index.js';
import { createRestApi, type ApiAccessHooks } from '../api/index.js';
import { metricsPath, servePrometheus } from './prometheus.js';
import { createRequestGuard, sessionCookie, withoutToken, type Verdict } from './request-guard.js';
import { securityHeaders, sendPage, statusText } from './responses.js';
import { createRpcSockets } from './rpc-socket.js';
import { createStaticFiles } from './static-files.js';
import { loadOrCreateToken } from './token-store.js';

export interface WebServerOptions {
  engine: Engine;
  /** 0 picks a free port; the one chosen is in the result. */
  port: number;
  /** Where the token file lives (the engine's data folder). */
  dataDir: string;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** Only `127.0.0.1` or `localhost`, both of which bind 127.0.0.1: the server never listens beyond this machine. */
  host?: string;
  /** Tuning for tests; the defaults suit users. */
  heartbeatIntervalMs?: number;
  maxBufferedBytes?: number;
  /** API keys, scopes, rate limits and audit for the REST API (electron/server/api/access.ts). */
  apiAccess?: ApiAccessHooks;
}

export interface WebServer {
  /** The address to open, token included: `http://127.0.0.1:PORT/?token=TOKEN`. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Closes every WebSocket and the server; the engine is the caller's to close. */
  close(): Promise<void>;
}

export const rpcPath = '/rpc';
const loopback = '127.0.0.1';

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  if (options.host !== undefined && options.host !== loopback && options.host !== 'localhost') {
    throw new Error(`photon serve listens on ${loopback} only; "${options.host}" would expose the engine to other machines`);
  }
  const token = loadOrCreateToken(options.dataDir);
  const server = createServer();
  const port = await listen(server, options.port);

  const guard = createRequestGuard({ port, token });
  const headers = securityHeaders(port);
  const staticFiles = createStaticFiles(options.staticDir);
  const rpc = createRpcSockets({
    engine: options.engine,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    maxBufferedBytes: options.maxBufferedBytes,
  });
  const api = createRestApi({ engine: options.engine, access: options.apiAccess });

  const handleRequest = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    const head = request.method === 'HEAD';
    const verdict = guard.checkRequest(request);
    // The REST API answers in its envelope, and a request without the session token may still
    // carry an API key: past the Host and Origin checks (a 401 comes after both), it decides.
    if ((verdict.ok || verdict.status === 401) && api.owns(new URL(request.url ?? '/', 'http://x').pathname)) {
      await api.handle(request, response, { session: verdict.ok });
      return;
    }
    if (!verdict.ok) {
      refuse(response, verdict, head);
      return;
    }
    if (request.method !== 'GET' && !head) {
      response.setHeader('Allow', 'GET, HEAD');
      sendPage(response, 405, 'Method not allowed', 'This server only serves files; the app talks to it over WebSocket.', head);
      return;
    }
    const { pathname } = verdict.url;
    // Before the cookie trade below: a scraper keeps no cookies, so its token must work as given.
    if (pathname === metricsPath) return servePrometheus(options.engine, response, head);
    if (verdict.via === 'query') {
      // Trade the token in the address for the cookie, and drop it from the address bar and history.
      response.writeHead(303, { 'Set-Cookie': sessionCookie(guard.cookieName, token), Location: withoutToken(verdict.url), 'Cache-Control': 'no-store' });
      response.end();
      return;
    }
    if (pathname === rpcPath) {
      response.setHeader('Upgrade', 'websocket');
      sendPage(response, 426, 'Upgrade required', `${rpcPath} speaks WebSocket only.`, head);
      return;
    }
    await staticFiles.serve(response, pathname, head);
  };

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handleRequest(request, response).catch((error: unknown) => {
      console.error('photon serve: a request failed:', error);
      if (response.headersSent) response.destroy();
      else sendPage(response, 500, 'Something went wrong', 'Photon could not answer this request; the server log says why.');
    });
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A peer that vanishes mid-handshake must not become an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    const verdict = guard.checkUpgrade(request);
    // The events WebSocket is the REST API's: past the Host and Origin checks, it decides on the token or a key.
    if ((verdict.ok || verdict.status === 401) && api.ownsUpgrade(new URL(request.url ?? '/', 'http://x').pathname)) {
      api.handleUpgrade(request, socket, head, { session: verdict.ok }).catch(() => socket.destroy());
      return;
    }
    if (!verdict.ok) {
      rejectUpgrade(socket, verdict.status, verdict.reason);
      return;
    }
    if (verdict.url.pathname !== rpcPath) {
      rejectUpgrade(socket, 404, `WebSockets are served at ${rpcPath} only`);
      return;
    }
    rpc.handleUpgrade(request, socket, head);
  });

  let closed: Promise<void> | undefined;
  return {
    url: `http://${loopback}:${port}/?token=${token}`,
    port,
    token,
    close() {
      closed ??= (async () => {
        await rpc.close();
        await api.close();
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
      })();
      return closed;
    },
  };
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new Error(`port ${port} on ${loopback} is already in use; choose another with --port`));
      else if (error.code === 'EACCES') reject(new Error(`not allowed to listen on port ${port}; choose a port above 1024 with --port`));
      else reject(error);
    };
    server.once('error', onError);
    server.listen({ port, host: loopback, exclusive: true }, () => {
      server.off('error', onError);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

function refuse(response: ServerResponse, verdict: Extract<Verdict, { ok: false }>, head: boolean): void {
  if (verdict.status === 401) {
    response.setHeader('WWW-Authenticate', 'Bearer realm="photon"');
    sendPage(response, 401, 'Photon needs its token', 'Open the URL printed by `photon serve` (it ends in ?token=…) to use Photon in this browser.', head);
    return;
  }
  sendPage(response, verdict.status, statusText(verdict.status), `Refused: ${verdict.reason}.`, head);
}

/** A refusal written straight onto the socket: an upgrade has no ServerResponse. */
function rejectUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = `${reason}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${statusText(status)}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      'X-Content-Type-Options: nosniff\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
