/**
 * Failures as the API reports them: the engine's codes mapped onto HTTP statuses, and zod's issues
 * turned into the place of each bad field (`body.agent.name`), so a client fixes the right thing.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { isPhotonError, type ErrorCode } from '../../../shared/errors.js';
import type { ApiError, ApiErrorCode, ApiIssue } from '../../../shared/rest.js';

const statusOf: Record<ApiErrorCode, ContentfulStatusCode> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** A refusal a route or middleware throws; the error handler writes it in the envelope. */
export class ApiFailure extends Error {
  readonly code: ApiErrorCode;
  readonly issues?: ApiIssue[];
  /** Extra response headers (Retry-After, WWW-Authenticate). */
  readonly headers?: Record<string, string>;
  /** A status other than the code's own (405 for a method a path does not take). */
  private readonly statusOverride?: ContentfulStatusCode;

  constructor(code: ApiErrorCode, message: string, options: { issues?: ApiIssue[]; headers?: Record<string, string>; status?: ContentfulStatusCode } = {}) {
    super(message);
    this.name = 'ApiFailure';
    this.code = code;
    this.issues = options.issues;
    this.headers = options.headers;
    this.statusOverride = options.status;
  }

  get status(): ContentfulStatusCode {
    return this.statusOverride ?? statusOf[this.code];
  }

  toBody(): ApiError {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
}

/** The same failure with its places under `from` moved to `to` (a body that the engine saw rewrapped). */
export function movePlaces(failure: ApiFailure, from: string, to: string): ApiFailure {
  if (!failure.issues) return failure;
  const issues = failure.issues.map((issue) => (issue.place.startsWith(from) ? { ...issue, place: to + issue.place.slice(from.length) } : issue));
  return new ApiFailure(failure.code, failure.message, { issues, headers: failure.headers, status: failure.status });
}

/** The place of an issue: where the value was (`body`, `query`, `params`) and its path inside. */
export function placeOf(target: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((place, key) => (typeof key === 'number' ? `${place}[${key}]` : `${place}.${String(key)}`), target);
}

function issuesOf(target: string, error: z.ZodError): ApiIssue[] {
  return error.issues.map((issue) => ({ place: placeOf(target, issue.path), message: issue.message }));
}

export function validationFailure(target: string, error: z.ZodError): ApiFailure {
  const issues = issuesOf(target, error);
  return new ApiFailure('invalid', issues.map((i) => `${i.place}: ${i.message}`).join('; '), { issues });
}

/**
 * Anything thrown while answering. The engine's PhotonError keeps its code and, when it names its
 * issues (`{ issues: [{ path, message }] }`, as agents.save and workflow validation do), their places
 * under `body`; anything else is an internal error whose details stay in the server log.
 */
export function toFailure(error: unknown): ApiFailure {
  if (error instanceof ApiFailure) return error;
  if (isPhotonError(error)) return new ApiFailure(error.code satisfies ErrorCode, error.message, { issues: engineIssues(error.details) });
  console.error('photon api: internal error:', error);
  return new ApiFailure('internal', 'Photon could not answer this request; the server log says why');
}

function engineIssues(details: unknown): ApiIssue[] | undefined {
  if (details === null || typeof details !== 'object' || !('issues' in details) || !Array.isArray(details.issues)) return undefined;
  const issues: ApiIssue[] = [];
  for (const issue of details.issues as unknown[]) {
    if (issue === null || typeof issue !== 'object') continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof message !== 'string') continue;
    const inner = typeof path === 'string' ? path : '';
    issues.push({ place: inner ? `body${/^[.[]/.test(inner) ? inner : `.${inner}`}` : 'body', message });
  }
  return issues.length > 0 ? issues : undefined;
}
