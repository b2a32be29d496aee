import { appIndexUrl } from './app-protocol.js';

/** Where the window's page comes from: the built renderer on the app's own scheme, or the dev server while developing. */
export interface AppLocation {
  /** The URL the window loads; every check of "our own page" compares against it. */
  url: string;
  devServer: boolean;
}

/**
 * The app's own URL. A dev-server URL (electron-vite dev sets ELECTRON_RENDERER_URL) is honoured
 * only in an unpackaged app: a packaged app never loads a page named by its environment.
 */
export function appLocation(options: { devServerUrl?: string; isPackaged: boolean }): AppLocation {
  const dev = options.isPackaged ? undefined : parseHttpUrl(options.devServerUrl);
  if (dev) return { url: dev.href, devServer: true };
  return { url: appIndexUrl, devServer: false };
}

/**
 * Whether a URL is the app's own page. For the built app that is exactly its index.html on the
 * app's scheme (any hash or query, since routes live in the hash); for the dev server, any page of
 * its origin.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  const candidate = parseUrl(url);
  const app = parseUrl(appUrl);
  if (!candidate || !app) return false;
  if (app.protocol !== 'http:' && app.protocol !== 'https:') {
    return (
      candidate.protocol === app.protocol &&
      candidate.host === app.host &&
      candidate.pathname === app.pathname &&
      candidate.username === '' &&
      candidate.password === ''
    );
  }
  return candidate.origin === app.origin && candidate.username === '' && candidate.password === '';
}

/** The app's URL showing a route (`#/runs/ID`); only the hash changes, so loading it does not reload the page. */
export function appUrlWithRoute(appUrl: string, route: string): string {
  const url = new URL(appUrl);
  url.hash = route.startsWith('#') ? route.slice(1) : route;
  return url.href;
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function parseHttpUrl(value: string | undefined): URL | undefined {
  if (!value) return undefined;
  const url = parseUrl(value);
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? url : undefined;
}
