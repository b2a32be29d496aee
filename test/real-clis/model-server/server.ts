/**
 * A stand-in model server on 127.0.0.1 for the real AI CLIs: the Anthropic Messages API, the OpenAI
 * Responses API and the Gemini generateContent API, each in its own wire format (SSE where the CLI
 * streams), with usage figures per response, a key check, injected faults, and a log of every
 * request so a test can compare what Photon recorded with what the server reported.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { anthropicApi } from './anthropic.js';
import { geminiApi } from './gemini.js';
import { tagOf } from './model.js';
import { openaiApi } from './openai.js';
import type { ApiHandler, ApiName, Usage } from './vendor.js';

export type { ApiName, Usage } from './vendor.js';

export interface Fault {
  api: ApiName;
  status: 401 | 429 | 500;
  /** How many matching requests fail before the API answers normally again (Infinity: all of them). */
  times: number;
  /** Only requests of this test case (see `[tag:NAME]` in model.ts). */
  tag?: string;
}

export interface LoggedRequest {
  seq: number;
  api: ApiName | 'unknown';
  method: string;
  path: string;
  tag: string | undefined;
  status: number;
  /** The usage the response reported (successful model responses only). */
  usage?: Usage;
  model?: string;
  /** The response asked the CLI to run a tool. */
  toolCall?: boolean;
  /** The CLI's session id, where its requests carry one (Claude Code's header, Codex's thread). */
  session?: string;
  /** The credential the request carried (which header or parameter, not its value). */
  credential?: string;
}

const handlers: readonly ApiHandler[] = [anthropicApi, openaiApi, geminiApi];

export class ModelServer {
  readonly requests: LoggedRequest[] = [];
  private faults: (Fault & { left: number })[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private seq = 0;

  /** `apiKey` is the key every request must carry; anything else gets the vendor's 401. */
  constructor(readonly apiKey: string) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // Codex tries a WebSocket to /v1/responses first: refusing the upgrade makes it fall back to SSE.
    server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
      this.log({ api: 'openai', method: 'GET (websocket)', path: req.url ?? '', tag: undefined, status: 404 });
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('the model server is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** The requests of one test case, in order. */
  requestsOf(tag: string): LoggedRequest[] {
    return this.requests.filter((r) => r.tag === tag);
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private log(entry: Omit<LoggedRequest, 'seq'>): LoggedRequest {
    const logged = { seq: ++this.seq, ...entry };
    this.requests.push(logged);
    return logged;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const handler = handlers.find((h) => h.matches(req.method ?? 'GET', url.pathname));
    const tag = tagOf(raw);
    // For working out what a new CLI version sends: every request, as received.
    if (process.env.PHOTON_MODEL_SERVER_DUMP) {
      writeFileSync(join(process.env.PHOTON_MODEL_SERVER_DUMP, `${String(this.seq + 1).padStart(3, '0')}${url.pathname.replace(/[^A-Za-z0-9.:-]+/g, '_')}.json`), `${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${raw}`);
    }
    if (!handler) {
      this.log({ api: 'unknown', method: req.method ?? '', path: url.pathname, tag, status: 404 });
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const base = { api: handler.name, method: req.method ?? '', path: url.pathname, tag };
    const credential = handler.credential(req, url, this.apiKey);
    if (!credential.ok) {
      this.log({ ...base, status: 401, credential: credential.carried });
      handler.error(res, 401);
      return;
    }
    const fault = this.faults.find((f) => f.api === handler.name && f.left > 0 && (f.tag === undefined || f.tag === tag));
    if (fault) {
      fault.left--;
      this.log({ ...base, status: fault.status, credential: credential.carried });
      handler.error(res, fault.status);
      return;
    }
    let body: unknown;
    try {
      body = raw === '' ? {} : JSON.parse(raw);
    } catch {
      this.log({ ...base, status: 400 });
      handler.error(res, 400);
      return;
    }
    const seq = this.seq + 1;
    const answer = handler.answer({ body, url, res, seq });
    this.log({ ...base, status: 200, credential: credential.carried, session: handler.session?.(req, body), ...answer });
  }
}
