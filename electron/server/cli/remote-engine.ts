/**
 * `photon` commands against a running engine (`photon serve`, or the desktop app with its API on)
 * instead of one of their own: --server URL and --api-key KEY, or PHOTON_SERVER and PHOTON_API_KEY.
 * Every call is the REST API, answered in its envelope; its failures become PhotonErrors whose
 * message names what to fix (the URL, the key's variable), so main.ts reports them like any other.
 */
import { PhotonError, type ErrorCode } from '../../../shared/errors.js';
import type { Envelope } from '../../../shared/rest.js';
import type { OptionSpec, ParsedArgs } from './args.js';
import { stringOption } from './args.js';
import { UsageError } from './usage-error.js';

export const serverOption: OptionSpec = {
  type: 'string',
  value: 'URL',
  description: 'A running Photon (`photon serve`) to use instead of opening the data folder. Default: $PHOTON_SERVER.',
};
export const apiKeyOption: OptionSpec = {
  type: 'string',
  value: 'KEY',
  description: 'With --server: the API key to send (`photon keys create`). Default: $PHOTON_API_KEY.',
};

export interface RemoteTarget {
  /** The server's origin and any path prefix, without a trailing slash. */
  url: string;
  apiKey: string;
  /** Instead of a key: the data folder's token, for the `photon daemon` on this machine (daemon.json). */
  token?: string;
}

/**
 * The server the user chose, or undefined to open the local engine. A server without a key, or
 * with --data-dir (which only the local engine reads), is a usage error saying so.
 */
export function remoteTarget(values: ParsedArgs['values'], env: NodeJS.ProcessEnv = process.env): RemoteTarget | undefined {
  const server = stringOption(values, 'server') ?? (env.PHOTON_SERVER || undefined);
  const apiKey = stringOption(values, 'api-key') ?? (env.PHOTON_API_KEY || undefined);
  if (server === undefined) {
    if (stringOption(values, 'api-key') !== undefined) throw new UsageError('--api-key goes with --server URL (or PHOTON_SERVER): the local engine needs no key');
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(server);
  } catch {
    throw new UsageError(`--server needs a URL such as http://127.0.0.1:7420, not "${server}"${stringOption(values, 'server') === undefined ? ' (from PHOTON_SERVER)' : ''}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--server needs an http:// or https:// URL, not "${server}"`);
  if (apiKey === undefined) {
    throw new UsageError(`--server ${server} needs an API key: --api-key KEY or PHOTON_API_KEY (make one on that machine with \`photon keys create NAME --scope run\`)`);
  }
  if (stringOption(values, 'data-dir') !== undefined) throw new UsageError('--data-dir is for the local engine; with --server the server keeps the history in its own data folder');
  return { url: `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`, apiKey };
}

/** What the server said about a refused call, with the fix the user needs. */
function refusal(target: RemoteTarget, status: number, body: Envelope<unknown> | undefined, what: string): PhotonError {
  const said = body?.error?.message ?? `HTTP ${status}`;
  if (status === 401) {
    return new PhotonError('unauthorized', `the Photon server at ${target.url} refused the API key (${said}); give a valid one with --api-key KEY or PHOTON_API_KEY`);
  }
  if (status === 403) {
    return new PhotonError('forbidden', `the Photon server at ${target.url} refused ${what} (${said}); the key in --api-key or PHOTON_API_KEY needs a wider scope (run to start and cancel runs)`);
  }
  const code = (body?.error?.code ?? (status >= 500 ? 'internal' : 'invalid')) as ErrorCode;
  return new PhotonError(code, `${said} (the Photon server at ${target.url}, ${what})`);
}

export class RemoteEngine {
  constructor(readonly target: RemoteTarget) {}

  get headers(): Record<string, string> {
    return this.target.token !== undefined ? { authorization: `Bearer ${this.target.token}` } : { 'x-api-key': this.target.apiKey };
  }

  /** One REST call; resolves with the envelope's data or throws the server's error, worded for the user. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const what = `${method} ${path}`;
    const response = await this.fetch(path, {
      method,
      headers: { ...this.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw await this.refused(response, what);
    const text = await response.text();
    const envelope = parseEnvelope<T>(text);
    if (!envelope?.success) {
      throw new PhotonError('unavailable', `${this.target.url} answered ${what} with something other than the Photon REST API (${text.slice(0, 120)}); is --server the address \`photon serve\` printed?`);
    }
    return envelope.data as T;
  }

  /** The error for a refused call, in the server's words and with the fix. */
  async refused(response: Response, what: string): Promise<PhotonError> {
    return refusal(this.target, response.status, parseEnvelope(await response.text()), what);
  }

  /** fetch with the server's address in the error when it cannot be reached at all. */
  async fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.target.url}${path}`, init);
    } catch (error) {
      if ((init.signal as AbortSignal | undefined)?.aborted) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new PhotonError('unavailable', `cannot reach the Photon server at ${this.target.url} (${why}); is \`photon serve\` running there, and is --server (or PHOTON_SERVER) its address?`);
    }
  }
}

function parseEnvelope<T>(text: string): Envelope<T> | undefined {
  try {
    const parsed = JSON.parse(text) as Envelope<T>;
    return typeof parsed === 'object' && parsed !== null && 'success' in parsed ? parsed : undefined;
  } catch {
    return undefined;
  }
}
