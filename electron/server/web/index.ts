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
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Engine } from '../../engine/index.js';
import { createRestApi, type ApiAccessHooks } from '../api/index.js';
import { apiKeyHooks } from '../auth/api-hooks.js';
import { clientAddress, createKeyGate, defaultAccessLimits, presentedKey, type AccessLimits, type KeyGate } from '../auth/key-gate.js';
import { metricsPath, servePrometheus } from './prometheus.js';
import { createKeySignIn } from './key-sign-in.js';
import { hostNames, hostPart, isLoopback, isWildcard, loopbackAddress } from './listen-address.js';
import { createRequestGuard, sessionCookie, withoutToken, type Verdict } from './request-guard.js';
import { securityHeaders, sendPage, statusText } from './responses.js';
import { createRpcSockets, type SocketCaller } from './rpc-socket.js';
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
  /**
   * Where to listen: 127.0.0.1 by default (`localhost` is the same). Any other address of this
   * machine, or 0.0.0.0 for all, only with `tls`: plain HTTP beyond loopback is refused. There, other
   * machines must use API keys; the app's token is taken from this machine only.
   */
  host?: string;
  /** The certificate and key to serve HTTPS with (see electron/server/auth/tls-identity.ts). */
  tls?: { cert: string; key: string };
  /** Tuning for tests; the defaults suit users. */
  heartbeatIntervalMs?: number;
  maxBufferedBytes?: number;
  /** The REST API's access hooks; by default API keys, scopes, rate limits and audit (electron/server/auth). */
  apiAccess?: ApiAccessHooks;
  /** Rate limits for callers with API keys (defaultAccessLimits when absent). */
  limits?: AccessLimits;
}

export interface WebServer {
  /** The address to open on this machine, token included: `http://127.0.0.1:PORT/?token=TOKEN`. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Takes no new connection and frees the port; what is already open carries on until `close`. */
  stopAccepting(): Promise<void>;
  /** Listens on the same address and port again after `stopAccepting` (its replacement was refused); throws if the port was taken meanwhile. */
  resumeAccepting(): Promise<void>;
  /**
   * Closes every WebSocket and the server; the engine is the caller's to close. `drain`: first let
   * the requests in progress write their answers (for at most `drainGraceMs`), as when a settings
   * change replaces this listener under the very request that asked for it. A later `close()`
   * without `drain` cuts the wait short.
   */
  close(options?: { drain?: boolean }): Promise<void>;
}

/** How long a replaced listener waits for the answers still in progress before it ends them. */
export const drainGraceMs = 10_000;

export const rpcPath = '/rpc';
const loopback = loopbackAddress;

/** Why `photon serve` will not listen beyond loopback without TLS. */
export function plainHttpRefusal(address: string): string {
  return (
    `refusing to serve plain HTTP on ${address}: beyond loopback anyone on the network could read every request, ` +
    `keys and tokens included. Serve HTTPS instead: give your certificate with --tls-cert FILE --tls-key FILE, or leave them out and Photon makes one (its fingerprint is printed for pinning)`
  );
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const address = options.host ?? loopback;
  const local = isLoopback(address);
  if (!local && !options.tls) throw new Error(plainHttpRefusal(address));
  const token = loadOrCreateToken(options.dataDir);
  const server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }) : createServer();
  const port = await listen(server, options.port, local ? loopback : address);

  const secure = Boolean(options.tls);
  const guard = createRequestGuard({ port, token, secure, extraHosts: local ? [] : hostNames(address), tokenFromThisMachineOnly: !local });
  const headers = securityHeaders(port);
  const staticFiles = createStaticFiles(options.staticDir);
  const rpc = createRpcSockets({
    engine: options.engine,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    maxBufferedBytes: options.maxBufferedBytes,
  });
  const gate = createKeyGate(options.engine.access, options.limits ?? defaultAccessLimits);
  const api = createRestApi({ engine: options.engine, access: options.apiAccess ?? apiKeyHooks(gate) });
  // Beyond loopback another machine's browser signs in to the app with an API key.
  const signIn = local ? undefined : createKeySignIn(gate, port);

  const handleRequest = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    const head = request.method === 'HEAD';
    const verdict = guard.checkRequest(request);
    auditRefusal(gate, request, verdict);
    // The REST API answers in its envelope, and a request without the session token may still
    // carry an API key: past the Host and Origin checks (a 401 comes after both), it decides.
    if ((verdict.ok || verdict.status === 401) && api.owns(new URL(request.url ?? '/', 'http://x').pathname)) {
      await api.handle(request, response, { session: verdict.ok });
      return;
    }
    if (!verdict.ok && verdict.status === 401 && signIn) {
      const pathname = pathOf(request);
      if (await signIn.handle(request, response, pathname)) return;
      // Signed in with a key: the app's files; the app then opens /rpc with the same cookie.
      await staticFiles.serve(response, pathname, head);
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
      response.writeHead(303, { 'Set-Cookie': sessionCookie(guard.cookieName, token, secure), Location: withoutToken(verdict.url), 'Cache-Control': 'no-store' });
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

  // Requests whose answer is not yet written, so a drain knows when it may close.
  let answering = 0;
  const whenAnswered: (() => void)[] = [];
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    answering += 1;
    response.once('close', () => {
      answering -= 1;
      if (answering === 0) for (const done of whenAnswered.splice(0)) done();
    });
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
    auditRefusal(gate, request, verdict);
    // Without the app's token, the contract's socket may still be opened with an API key: in a
    // header, or (a browser that signed in, which always sends its Origin) in the sign-in cookie.
    const key = presentedKey(request.headers) ?? (signIn && request.headers.origin !== undefined ? signIn.cookieKey(request.headers) : undefined);
    if (!verdict.ok && verdict.status === 401 && pathOf(request) === rpcPath && key !== undefined) {
      upgradeWithKey(gate, key, request, socket, (caller) => rpc.handleUpgrade(request, socket, head, caller)).catch(() => socket.destroy());
      return;
    }
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

  const base = `${secure ? 'https' : 'http'}://${local || isWildcard(address) ? loopback : hostPart(address)}:${port}`;
  // Webhooks are URLs on this server: the engine tells clients (the desktop app's window) where.
  let unserve = options.engine.servedAt(base);
  let closed: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;
  // 'close' comes once the listening socket and every connection are gone (again after a resume).
  let closeSeen = false;
  const closeEvent = () => new Promise<void>((done) => server.once('close', () => ((closeSeen = true), done())));
  let serverClosed = closeEvent();
  let hurry = (): void => undefined;
  const hurried = new Promise<void>((done) => (hurry = done));
  const stopAccepting = (): Promise<void> => {
    stopped ??= new Promise<void>((done) => {
      unserve();
      // The listening socket is closed at once (the port is free); its callback waits for every
      // connection, which is close's business, not this one's.
      server.close();
      setImmediate(done);
    });
    return stopped;
  };
  return {
    url: `${base}/?token=${token}`,
    port,
    token,
    stopAccepting,
    async resumeAccepting() {
      if (closed || !stopped) return;
      await stopped;
      await listen(server, port, local ? loopback : address);
      stopped = undefined;
      unserve = options.engine.servedAt(base);
      if (closeSeen) {
        closeSeen = false;
        serverClosed = closeEvent();
      }
    },
    close(closeOptions) {
      if (!closeOptions?.drain) hurry();
      closed ??= (async () => {
        await stopAccepting();
        if (closeOptions?.drain) {
          const answered = answering === 0 ? Promise.resolve() : new Promise<void>((done) => whenAnswered.push(done));
          const grace = new Promise<void>((done) => setTimeout(done, drainGraceMs).unref());
          await Promise.race([Promise.all([answered, rpc.idle()]), grace, hurried]);
        }
        await rpc.close();
        await api.close();
        server.closeAllConnections();
        await serverClosed;
      })();
      return closed;
    },
  };
}

function listen(server: ReturnType<typeof createServer> | ReturnType<typeof createTlsServer>, port: number, address: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    // The code stays on the error: the settings page words it for its own fields.
    const worded = (error: NodeJS.ErrnoException, message: string) => reject(Object.assign(new Error(message), { code: error.code }));
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') worded(error, `port ${port} on ${address} is already in use; choose another with --port`);
      else if (error.code === 'EADDRNOTAVAIL') worded(error, `${address} is not an address of this machine; \`ip address\` lists them, or use 0.0.0.0 for all`);
      else if (error.code === 'EACCES') worded(error, `not allowed to listen on port ${port}; choose a port above 1024 with --port`);
      else reject(error);
    };
    server.once('error', onError);
    server.listen({ port, host: address, exclusive: true }, () => {
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

function pathOf(request: IncomingMessage): string {
  try {
    return new URL(request.url ?? '/', 'http://x').pathname;
  } catch {
    return '';
  }
}

function auditRefusal(gate: KeyGate, request: IncomingMessage, verdict: Verdict): void {
  if (!verdict.ok && verdict.audit) gate.refusedByGuard(verdict.audit, clientAddress(request.socket.remoteAddress), `${request.method ?? 'GET'} ${pathOf(request)}`, verdict.reason);
}

/** Admits the socket with its key (limits, revocation), each of its messages too; refuses with the reason otherwise. */
async function upgradeWithKey(gate: KeyGate, text: string, request: IncomingMessage, socket: Duplex, open: (caller: SocketCaller) => void): Promise<void> {
  const address = clientAddress(request.socket.remoteAddress);
  const target = `WS ${rpcPath}`;
  const admission = await gate.admitKey(text, address, target);
  if (!admission.ok) {
    rejectUpgrade(socket, admission.code === 'rate_limited' ? 429 : 401, admission.message, admission.headers);
    return;
  }
  open({
    key: admission.key,
    address,
    async admit() {
      const again = await gate.admitKey(text, address, target);
      return again.ok ? { ok: true } : { ok: false, error: { code: again.code, message: again.message }, close: again.code === 'unauthorized' };
    },
  });
}

/** A refusal written straight onto the socket: an upgrade has no ServerResponse. */
function rejectUpgrade(socket: Duplex, status: number, reason: string, extraHeaders: Record<string, string> = {}): void {
  const body = `${reason}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${statusText(status)}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      'X-Content-Type-Options: nosniff\r\n' +
      Object.entries(extraHeaders)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
