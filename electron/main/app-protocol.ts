/**
 * The app's own scheme, `app://photon/`, which serves the built renderer to the window instead of
 * file:// (Electron's security checklist, item 18): a page of this origin reaches only the files of
 * the renderer folder, never the rest of the disk, and file:// keeps none of its extra privileges
 * (the grantFileProtocolExtraPrivileges fuse is off, electron-builder.yml). What a request gets is
 * decided here, without Electron; index.ts only hands Electron's requests to it.
 */
import { readFile, realpath } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { rendererContentTypes } from '../../shared/renderer-files.js';

export const appScheme = 'app';
export const appHost = 'photon';
export const appOrigin = `${appScheme}://${appHost}`;
export const appIndexUrl = `${appOrigin}/index.html`;

/**
 * How the scheme is registered, before the app is ready: standard (an origin of its own, so
 * relative URLs and 'self' in the CSP work), secure (a secure context, as https is), fetch allowed
 * for the page's own files. No CORS, no service workers, no streaming privileges: the page needs none.
 */
export const appSchemePrivileges = { standard: true, secure: true, supportFetchAPI: true, codeCache: true } as const;

export type AppResponse =
  | { status: 200; file: string; contentType: string; headers: Record<string, string> }
  | { status: 400 | 403 | 404 | 405; reason: string; headers: Record<string, string> };

/**
 * The answer to a request on the app's scheme: a file of `rendererDir` with its type and headers
 * (the CSP on every answer, so a page never loads without it), or a refusal with its reason.
 * Existence is left to the reader of the file: a missing one becomes 404 there.
 */
export function appResponse(request: { url: string; method: string }, rendererDir: string, policy: string): AppResponse {
  const headers = {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
  const refuse = (status: 400 | 403 | 404 | 405, reason: string): AppResponse => ({ status, reason, headers });

  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, `${request.method} is not served; the app's files are read-only`);
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refuse(400, 'not a URL');
  }
  if (url.protocol !== `${appScheme}:` || url.host !== appHost) return refuse(404, `only ${appOrigin}/ is served`);

  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return refuse(400, 'the path is not valid percent-encoding');
  }
  if (path === '/') path = '/index.html';
  // The URL parser already resolved literal dot segments; encoded ones (%2e%2e), backslashes and
  // NUL arrive decoded here and would step outside the folder or cut the path short.
  const segments = path.split('/').slice(1);
  if (path.includes('\0') || path.includes('\\') || segments.some((segment) => segment === '..' || segment === '.' || segment === '')) {
    return refuse(403, 'the path leaves the app folder or is not a plain file path');
  }
  const root = resolve(rendererDir);
  const file = resolve(root, ...segments);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..')) {
    return refuse(403, 'the path leaves the app folder');
  }
  // Only what the renderer is made of is served; anything else in the folder is not.
  const contentType = rendererContentTypes[extname(file).toLowerCase()];
  if (!contentType) return refuse(404, `no ${extname(file) || 'extensionless'} files are served`);
  return { status: 200, file, contentType, headers: { ...headers, 'Content-Type': contentType } };
}

/**
 * Electron's handler for the scheme (protocol.handle): the file read as `appResponse` decided,
 * with its headers; a file missing, unreadable, or reached through a link out of the folder is 404.
 */
export async function serveAppRequest(request: { url: string; method: string }, rendererDir: string, policy: string): Promise<Response> {
  const answer = appResponse(request, rendererDir, policy);
  const text = (status: number, body: string) =>
    new Response(request.method === 'HEAD' ? null : body, { status, headers: { ...answer.headers, 'Content-Type': 'text/plain; charset=utf-8' } });
  if (answer.status !== 200) return text(answer.status, answer.reason);
  try {
    const [root, file] = await Promise.all([realpath(rendererDir), realpath(answer.file)]);
    if (relative(root, file).split(sep)[0] === '..' || isAbsolute(relative(root, file))) return text(404, 'not found');
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: { ...answer.headers, 'Content-Length': String(body.length) } });
  } catch {
    return text(404, 'not found');
  }
}
