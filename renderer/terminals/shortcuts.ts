/** The dock's own keys inside a terminal, and where links go. No xterm here, so it tests without a DOM. */

export type ShortcutAction = 'find' | 'copy' | 'paste' | 'zoom-in' | 'zoom-out' | 'zoom-reset';

export const isMacPlatform = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

type KeyFacts = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

/**
 * Cmd on macOS, Ctrl elsewhere: F finds, +/-/0 zoom. Copy and paste are Cmd+C/V on macOS and
 * Ctrl+Shift+C/V elsewhere, so Ctrl+C stays an interrupt and Ctrl+V a literal-next for the shell.
 * Everything else goes to the process.
 */
export function shortcutFor(event: KeyFacts, mac = isMacPlatform): ShortcutAction | null {
  const mod = mac ? event.metaKey : event.ctrlKey;
  if (!mod || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === 'f') return 'find';
  if (key === 'c' && (mac || event.shiftKey)) return 'copy';
  if (key === 'v' && (mac || event.shiftKey)) return 'paste';
  if (key === '=' || key === '+') return 'zoom-in';
  if (key === '-' || key === '_') return 'zoom-out';
  if (key === '0' || key === ')') return 'zoom-reset';
  return null;
}

/** Only web links leave the app; anything else a program prints (file:, javascript:) is ignored. */
export function isWebLink(uri: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(uri);
}

/**
 * Opens an http(s) link outside the app: a new tab without access back to Photon in a browser;
 * in Electron the host's window-open handler sends it to the system browser.
 */
export function openLink(uri: string, open: (url: string, target: string, features: string) => unknown = (u, t, f) => window.open(u, t, f)): boolean {
  if (!isWebLink(uri)) return false;
  open(uri, '_blank', 'noopener,noreferrer');
  return true;
}
