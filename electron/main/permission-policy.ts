import { isAppUrl } from './app-url.js';

/**
 * Permissions the app's own page may use. Everything else (camera, microphone, geolocation,
 * notifications from the page, MIDI, HID, serial, full screen by script...) is refused: native
 * notifications come from the main process, and the UI needs nothing else.
 */
export const allowedPermissions: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** Both Electron handlers (request and check) ask this; unknown means no. */
export function permissionDecision(permission: string, requestingUrl: string | undefined, appUrl: string): boolean {
  if (!allowedPermissions.has(permission)) return false;
  return typeof requestingUrl === 'string' && isAppUrl(requestingUrl, appUrl);
}
