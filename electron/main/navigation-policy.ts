import { isAppUrl } from './app-url.js';

/** The window may only ever show the app itself; any other navigation is cancelled. */
export function isAllowedNavigation(url: string, appUrl: string): boolean {
  return isAppUrl(url, appUrl);
}

export type ExternalLinkDecision = { action: 'open-externally'; url: string } | { action: 'deny' };

/**
 * What to do with a link that would open a new window: never a new window; an http(s) link goes
 * to the user's browser, anything else (file:, javascript:, custom schemes, credentials) nowhere.
 */
export function externalLinkPolicy(url: string): ExternalLinkDecision {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { action: 'deny' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { action: 'deny' };
  if (parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') return { action: 'deny' };
  return { action: 'open-externally', url: parsed.href };
}
