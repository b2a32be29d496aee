/**
 * Where a page served by the remote access listener goes after a save moved that listener (another
 * port, address or certificate): the same page on the new listener, so a phone keeps working
 * instead of reconnecting forever to an address nothing answers on. Its sign-in cookie follows,
 * since cookies are kept per host, not per port.
 */
import type { RemoteConfigureResult } from '../../shared/remote-access.js';

/** The address to open, or undefined when this page was not served from the listener that moved (the desktop window) or it moved nowhere. */
export function followUrl(moved: RemoteConfigureResult['moved'], here: URL): string | undefined {
  if (!moved || moved.to.length === 0) return undefined;
  if (!moved.from.some((url) => new URL(url).origin === here.origin)) return undefined;
  const target = moved.to.map((url) => new URL(url)).find((url) => url.hostname === here.hostname) ?? new URL(moved.to[0]!);
  return new URL(`${here.pathname}${here.search}${here.hash}`, target).href;
}
