import type { IncomingMessage, ServerResponse } from 'node:http';

export type ApiName = 'anthropic' | 'openai' | 'gemini';

/** What one response reported, in neutral names; `input` counts every input token, cached ones included. */
export interface Usage {
  input: number;
  output: number;
  /** Input tokens read from a prompt cache. */
  cacheRead: number;
  /** Input tokens written to a prompt cache (Anthropic only). */
  cacheWrite: number;
}

export interface Answer {
  usage?: Usage;
  model?: string;
  toolCall?: boolean;
}

/** One vendor's API: which requests are its own, how it checks a key, answers and fails. */
export interface ApiHandler {
  name: ApiName;
  matches(method: string, path: string): boolean;
  /** Whether the request carries the expected key, and where (header or parameter name) it carried one. */
  credential(req: IncomingMessage, url: URL, apiKey: string): { ok: boolean; carried?: string };
  answer(request: { body: unknown; url: URL; res: ServerResponse; seq: number }): Answer;
  /** The CLI's session id, where its requests carry one. */
  session?(req: IncomingMessage, body: unknown): string | undefined;
  /** The vendor's own error body for a status (429 with a short Retry-After). */
  error(res: ServerResponse, status: number): void;
}

/** Different figures per request, so a test notices one request counted twice or left out. */
export function usageFor(seq: number): { base: number; small: number } {
  return { base: 1000 + seq * 37, small: 7 + (seq % 11) };
}

export function sse(res: ServerResponse, events: { event?: string; data: unknown }[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const { event, data } of events) res.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
  res.end();
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

export function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
