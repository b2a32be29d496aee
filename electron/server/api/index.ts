/**
 * The specification's REST API (`/api/v1`, and `/health`, `/health/detailed`, `/metrics/dashboard`)
 * on the browser host's own server: the web host checks Host and Origin and finds the session
 * token, then hands the request here. Access hooks (API keys, scopes, rate limits, audit) plug in
 * through `RestApiOptions.access`: see access.ts for the pipeline and where each one runs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
import { apiBasePath } from '../../../shared/rest.js';
import type { Engine } from '../../engine/index.js';
import { markSession, type ApiAccessHooks } from './access.js';
import { createApiApp } from './app.js';
import { createBroadcaster, type BroadcasterOptions, type BroadcastStats } from './events/broadcast.js';
import { createEventLog, type EventLogLimits } from './events/event-log.js';
import { createEventSockets, eventsSocketPath } from './events/socket.js';

export type { ApiAccessHooks, ApiPrincipal, ApiScope } from './access.js';
export { ApiFailure } from './errors.js';

export interface RestApiOptions {
  engine: Engine;
  /** API keys, scopes, rate limits and audit (issue 18B); without them only the session token is accepted. */
  access?: ApiAccessHooks;
  /** The event record's size and each stream's send buffer; the defaults suit a server. */
  events?: { log?: EventLogLimits } & BroadcasterOptions;
}

export interface RestApi {
  /** Whether a path belongs to the API (the web host routes it here instead of to the files). */
  owns(pathname: string): boolean;
  /** Answers one request; `session` is whether the web host found the browser's token on it. */
  handle(request: IncomingMessage, response: ServerResponse, access: { session: boolean }): Promise<void>;
  /** Whether an upgrade's path is the API's (the events WebSocket). */
  ownsUpgrade(pathname: string): boolean;
  /** Opens the events WebSocket, or refuses it in the envelope's words. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, access: { session: boolean }): Promise<void>;
  /** The open event streams: their filters, what waits for each, the filter checks made. */
  eventStreams(): BroadcastStats;
  close(): Promise<void>;
}

const topLevelPaths = new Set(['/health', '/health/detailed', '/metrics/dashboard']);

export function createRestApi(options: RestApiOptions): RestApi {
  const hooks = options.access ?? {};
  const events = createEventLog(options.engine, options.events?.log);
  const streams = createBroadcaster(events, options.events);
  const app = createApiApp({ engine: options.engine, hooks, events, streams, startedAt: Date.now() });
  const sockets = createEventSockets(options.engine, streams, hooks);
  // hono/node-server's own Request and Response stand in for the globals (its default): a body
  // re-read after the size check must be built from the same Request class it made.
  const listener = getRequestListener(app.fetch);

  return {
    owns: (pathname) => topLevelPaths.has(pathname) || pathname === apiBasePath || pathname.startsWith(`${apiBasePath}/`),
    async handle(request, response, access) {
      if (access.session) markSession(request);
      await listener(request, response);
    },
    ownsUpgrade: (pathname) => pathname === eventsSocketPath,
    async handleUpgrade(request, socket, head, access) {
      if (access.session) markSession(request);
      await sockets.handleUpgrade(request, socket, head);
    },
    eventStreams: () => streams.stats(),
    async close() {
      await sockets.close();
      streams.close();
      events.close();
    },
  };
}
