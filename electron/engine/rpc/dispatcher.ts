import {
  isMethodName,
  maxMessageBytes,
  maxRequestIdChars,
  methods,
  type MethodName,
  type MethodResult,
  quotedMethodName,
  type ParsedParams,
  type ReplyEnvelope,
} from '../../../shared/api.js';
import type { KeyPrincipal } from '../../../shared/access.js';
import { PhotonError, type ErrorBody } from '../../../shared/errors.js';

/** Who is calling: each connection (a socket, a window) is one client, for per-client state such as terminal flow control. */
export interface CallContext {
  clientId: string;
  /** Set when the caller came in with an API key: its calls are held to the key's scope. Absent for the app itself. */
  key?: KeyPrincipal;
  /** The client's network address, for the audit log. */
  address?: string;
}

export interface DispatcherOptions {
  /** Throws a PhotonError (`forbidden`) when this caller may not call this method; runs before the params are read. */
  authorize?(method: MethodName, context: CallContext): void;
  /** What the user reads for an error the engine knows the cause of (SQLite refusing a write): undefined for the rest. */
  explain?(error: unknown): PhotonError | undefined;
}

export const inProcessClient: CallContext = { clientId: 'in-process' };

/** One handler per method of the contract: a missing one is a compile error. */
export type Handlers = {
  [M in MethodName]: (params: ParsedParams<M>, context: CallContext) => MethodResult<M> | Promise<MethodResult<M>>;
};

export interface Dispatcher {
  /** Handles a request envelope from an untrusted client; never throws. */
  dispatch(request: unknown, context?: CallContext): Promise<ReplyEnvelope>;
  /** Handles a request as text off a wire (WebSocket): size, JSON and envelope checked first. */
  dispatchText(text: string, context?: CallContext): Promise<ReplyEnvelope>;
}

export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatcher {
  const dispatch = async (request: unknown, context: CallContext = inProcessClient): Promise<ReplyEnvelope> => {
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
      return failure(null, { code: 'invalid', message: 'a request must be an object { id, method, params }' });
    }
    const { id, method, params } = request as Record<string, unknown>;
    if (typeof id !== 'number' && typeof id !== 'string') {
      return failure(null, { code: 'invalid', message: 'a request needs an "id" (number or string)' });
    }
    if (typeof id === 'string' && id.length > maxRequestIdChars) {
      return failure(null, { code: 'invalid', message: `a request's "id" may have at most ${maxRequestIdChars} characters; this one has ${id.length}` });
    }
    if (!isMethodName(method)) {
      return failure(id, { code: 'not_found', message: `unknown method ${quotedMethodName(method)}` });
    }
    try {
      options.authorize?.(method, context);
    } catch (error) {
      return failure(id, toErrorBody(error));
    }
    const parsed = methods[method].params.safeParse(params);
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((issue) => `${issue.path.length ? `params.${issue.path.join('.')}` : 'params'}: ${issue.message}`)
        .join('; ');
      return failure(id, { code: 'invalid', message: `${method}: ${message}` });
    }
    try {
      const handler = handlers[method] as (p: unknown, c: CallContext) => unknown;
      const value = await handler(parsed.data, context);
      return { id, ok: true, value: value ?? null };
    } catch (error) {
      return failure(id, toErrorBody(options.explain?.(error) ?? error));
    }
  };

  return {
    dispatch,
    async dispatchText(text, context) {
      if (Buffer.byteLength(text) > maxMessageBytes) {
        return failure(null, { code: 'invalid', message: `message too large: ${Buffer.byteLength(text)} bytes; the limit is ${maxMessageBytes}` });
      }
      let request: unknown;
      try {
        request = JSON.parse(text);
      } catch {
        return failure(null, { code: 'invalid', message: 'a request must be JSON' });
      }
      return dispatch(request, context);
    },
  };
}

export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof PhotonError) return error.toBody();
  // Unexpected failures are logged here and reported without internals.
  console.error('photon: internal error:', error);
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

function failure(id: number | string | null, error: ErrorBody): ReplyEnvelope {
  return { id, ok: false, error };
}
