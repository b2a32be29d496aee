import { errorCodes, type ErrorCode } from '../../shared/errors.js';
import type { PhotonStore } from '../store/store.js';

function codeOf(error: unknown): ErrorCode | 'client' {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (errorCodes as readonly string[]).includes(code) ? (code as ErrorCode) : 'client';
}

export function errorBody(error: unknown): { code: ErrorCode | 'client'; message: string } {
  return { code: codeOf(error), message: error instanceof Error ? error.message : String(error) };
}

/** Puts a failure in front of the user: what was being done, then the engine's code and message. */
export function reportError(store: PhotonStore, title: string, error: unknown): void {
  store.getState().pushNotice({ title, ...errorBody(error) });
}

/**
 * For loads the user did not ask for (catch-up, background refresh): a lost link is already on
 * the status bar, so only other failures become notices.
 */
export function reportBackgroundError(store: PhotonStore, title: string, error: unknown): void {
  if (codeOf(error) === 'unavailable' && store.getState().connection.status !== 'open') return;
  reportError(store, title, error);
}
