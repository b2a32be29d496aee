/**
 * Error codes a client can act on. Every failure that crosses the contract carries one of these,
 * so a UI can decide what to show without parsing messages.
 */
/** `unauthorized`: no valid credential; `forbidden`: a valid one whose scope is too small; `rate_limited`: too many requests, try later. */
export const errorCodes = ['invalid', 'not_found', 'conflict', 'unauthorized', 'forbidden', 'rate_limited', 'unavailable', 'internal'] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** A failure meant for the user: its message names the place and the fix. */
export class PhotonError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'PhotonError';
    this.code = code;
    this.details = details;
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isPhotonError(value: unknown): value is PhotonError {
  return value instanceof PhotonError;
}
