/**
 * Signing in to the browser app with an API key, where Photon listens beyond this machine (the
 * app's token is taken from this machine only there). The key goes once through a form to
 * /sign-in and then lives in an HttpOnly, Secure, SameSite=Strict cookie: the page's scripts never
 * hold it, and the app's WebSocket carries it, held to the key's scope like any key.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { clientAddress, type Admission, type KeyGate } from '../auth/key-gate.js';
import { readCookie } from './request-guard.js';

export const signInPath = '/sign-in';
/** The form is one key: anything longer is not one. */
const maxFormBytes = 4096;
const cookieMaxAgeSeconds = 30 * 24 * 60 * 60;

export interface KeySignIn {
  /** The key in the sign-in cookie, if the request carries one. */
  cookieKey(headers: IncomingHttpHeaders): string | undefined;
  /**
   * Answers a request that did not carry the app's token: the sign-in page and its form, or a
   * redirect to it. Resolves false when the request's key cookie admits it to the app's files.
   */
  handle(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean>;
}

export function createKeySignIn(gate: KeyGate, port: number): KeySignIn {
  const cookieName = `photon_key_${port}`;
  const cookieKey = (headers: IncomingHttpHeaders) => readCookie(headers.cookie, cookieName);

  return {
    cookieKey,
    async handle(request, response, pathname) {
      const address = clientAddress(request.socket.remoteAddress);
      if (pathname === signInPath && request.method === 'POST') {
        const key = await readKeyField(request);
        const admission: Admission = key === undefined ? { ok: false, code: 'unauthorized', message: 'send the form with one key', headers: {} } : await gate.admitKey(key, address, `POST ${signInPath}`);
        if (!admission.ok) {
          for (const [name, value] of Object.entries(admission.headers)) response.setHeader(name, value);
          sendSignInPage(response, admission.code === 'rate_limited' ? 429 : 401, admission.reason ? `That key was refused: ${admission.reason}.` : admission.message);
          return true;
        }
        response.writeHead(303, {
          'Set-Cookie': `${cookieName}=${key}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=${cookieMaxAgeSeconds}`,
          Location: '/',
          'Cache-Control': 'no-store',
        });
        response.end();
        return true;
      }
      if (pathname === signInPath) {
        sendSignInPage(response, 200, null, request.method === 'HEAD');
        return true;
      }
      const key = cookieKey(request.headers);
      if (key !== undefined && (request.method === 'GET' || request.method === 'HEAD')) {
        const admission = await gate.admitKey(key, address, `${request.method} ${pathname}`);
        if (admission.ok) return false;
      }
      // No key, or one that no longer opens anything: forget it and ask for one.
      response.writeHead(303, { Location: signInPath, 'Cache-Control': 'no-store', ...(key !== undefined ? { 'Set-Cookie': `${cookieName}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0` } : {}) });
      response.end();
      return true;
    },
  };
}

/** The `key` field of a small urlencoded form; undefined for anything else. */
async function readKeyField(request: IncomingMessage): Promise<string | undefined> {
  if (request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() !== 'application/x-www-form-urlencoded') return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxFormBytes) return undefined;
    chunks.push(chunk);
  }
  const key = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('key')?.trim();
  return key ? key : undefined;
}

function sendSignInPage(response: ServerResponse, status: number, problem: string | null, head = false): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · Photon</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem">
<h1>Sign in to Photon</h1>
<p>Paste an API key made on the computer running Photon (<code>photon keys create phone --scope run</code>, or its Settings page).</p>
${problem ? `<p role="alert" style="color: #b42318">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="${signInPath}">
<label for="key">API key</label><br>
<input id="key" name="key" type="password" autocomplete="off" required style="width: 100%; font-size: 1rem; padding: .5rem; margin: .25rem 0 1rem">
<button type="submit" style="font-size: 1rem; padding: .5rem 1rem">Sign in</button>
</form>
</body></html>
`;
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    // With no-referrer a browser sends `Origin: null` with the form, which the Origin check refuses.
    'Referrer-Policy': 'same-origin',
  });
  response.end(head ? undefined : html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
