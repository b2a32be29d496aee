import type { ErrorCode } from '../../shared/errors.js';

/** What each error code means to a user, said before the engine's message (the code itself is for support). */
const words: Record<ErrorCode | 'client', string> = {
  invalid: 'Not accepted',
  not_found: 'Not found',
  conflict: 'Not possible right now',
  unauthorized: 'Not allowed',
  forbidden: 'Not allowed for this key',
  rate_limited: 'Too many requests',
  unavailable: 'Photon could not be reached',
  internal: 'Photon hit an unexpected error',
  client: 'Something went wrong in this window',
};

export function errorWords(code: string): string {
  return words[code as ErrorCode | 'client'] ?? 'Something went wrong';
}
