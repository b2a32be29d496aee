/**
 * The REST API over real HTTP on loopback: the browser host with a real engine and real SQLite in a
 * temporary folder, and a client that sends what a script would (or a broken one would).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Envelope } from '../../../shared/rest.js';
import type { EngineOptions } from '../../../electron/engine/index.js';
import type { WebServerOptions } from '../../../electron/server/web/index.js';
import { makeTempDir, startHostIn, writeStaticDir, type TestHost } from '../web/helpers.js';

export type { TestHost };

export interface ApiAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: Envelope<T>;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is (not JSON-encoded), for malformed and oversized bodies. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** The session token to send as Bearer; null sends none. */
  token?: string | null;
}

export function apiClient(host: TestHost) {
  const base = `http://127.0.0.1:${host.server.port}`;
  return async function call<T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer<T>> {
    const token = options.token === undefined ? host.server.token : options.token;
    const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}) };
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${base}${path}`, { method, headers: { ...headers, ...options.headers }, body });
    const text = await response.text();
    let parsed: Envelope<T>;
    try {
      parsed = JSON.parse(text) as Envelope<T>;
    } catch {
      throw new Error(`${method} ${path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`);
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
}

/** The envelope's frame, whatever the answer. */
export function expectEnvelope(answer: ApiAnswer, success: boolean): void {
  expect(answer.body.success).toBe(success);
  expect(answer.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(answer.headers.get('x-request-id')).toBe(answer.body.requestId);
  expect(Number.isNaN(Date.parse(answer.body.timestamp))).toBe(false);
  expect(answer.body.processingTime).toBeGreaterThanOrEqual(0);
  if (success) expect(answer.body.error).toBeNull();
  else expect(answer.body.data).toBeNull();
}

export type ApiCall = ReturnType<typeof apiClient>;

/** The browser host as in ../web/helpers.ts, with the engine's options a test needs (maxActiveRuns). */
export async function startApiHost(
  serverOptions: Partial<WebServerOptions> = {},
  engineOptions: Partial<EngineOptions> = {},
): Promise<{ host: TestHost; call: ApiCall }> {
  const root = makeTempDir('api');
  writeStaticDir(join(root, 'static'));
  const host = await startHostIn(root, serverOptions, engineOptions);
  return { host, call: apiClient(host) };
}

/**
 * One API host for the whole test file: started before its tests, closed after them. Read `host`
 * and `call` inside hooks and tests, not at the top level, where the host does not exist yet.
 */
export function useApiHost(
  serverOptions: Partial<WebServerOptions> = {},
  engineOptions: Partial<EngineOptions> = {},
): { readonly host: TestHost; readonly call: ApiCall } {
  let started: { host: TestHost; call: ApiCall } | undefined;
  beforeAll(async () => {
    started = await startApiHost(serverOptions, engineOptions);
  });
  afterAll(async () => {
    await started?.host.close();
  });
  const current = () => {
    if (!started) throw new Error('the API host is not started yet: use it inside beforeAll, a test or afterAll');
    return started;
  };
  return {
    get host() {
      return current().host;
    },
    get call() {
      return current().call;
    },
  };
}

/** Polls until `probe` returns a value (not undefined); generous, since the machine is shared. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
