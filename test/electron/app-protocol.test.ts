/**
 * What the window's scheme (app://photon/) serves: the built renderer's files with their types and
 * the CSP, and nothing outside that folder however the path is spelled. Real files in a temporary
 * folder; the Response is the one Electron's protocol.handle passes to the page.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appResponse, appSchemePrivileges, serveAppRequest } from '../../electron/main/app-protocol.js';
import { contentSecurityPolicy } from '../../electron/main/content-security-policy.js';

const policy = contentSecurityPolicy();
let root = '';
let rendererDir = '';

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'photon-app-protocol-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Photon</title>');
  writeFileSync(join(rendererDir, 'favicon.svg'), '<svg/>');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(rendererDir, 'assets', 'font.woff2'), 'w');
  writeFileSync(join(rendererDir, 'assets', 'notes'), 'no extension');
  // Beside the renderer folder: what traversal would reach.
  writeFileSync(join(root, 'secret.html'), 'outside');
  writeFileSync(join(root, 'renderer-secret.js'), 'outside, with a name that starts like the folder');
  symlinkSync(join(root, 'secret.html'), join(rendererDir, 'link.html'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => serveAppRequest({ url, method }, rendererDir, policy);

describe('serveAppRequest', () => {
  it.each([
    ['app://photon/', 'text/html; charset=utf-8', '<!doctype html><title>Photon</title>'],
    ['app://photon/index.html#/runs/1', 'text/html; charset=utf-8', '<!doctype html><title>Photon</title>'],
    ['app://photon/assets/index-abc.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
    ['app://photon/assets/index-abc.css', 'text/css; charset=utf-8', 'body{}'],
    ['app://photon/assets/font.woff2', 'font/woff2', 'w'],
    ['app://photon/favicon.svg', 'image/svg+xml', '<svg/>'],
    ['app://photon/assets/index%2Dabc.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
  ])('serves %s as %s', async (url, type, body) => {
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe(policy);
    expect(await response.text()).toBe(body);
  });

  it.each([
    ['app://photon/../secret.html', 404],
    ['app://photon/%2e%2e/secret.html', 404],
    ['app://photon/assets/%2E%2E/%2e%2e/secret.html', 404],
    ['app://photon/..%2fsecret.html', 403],
    ['app://photon/..%5csecret.html', 403],
    ['app://photon/assets%5c..%5c..%5csecret.html', 403],
    ['app://photon/%2e%2e%2frenderer-secret.js', 403],
    ['app://photon/index.html%00.js', 403],
    ['app://photon//etc/passwd', 403],
    ['app://photon/link.html', 404],
    ['app://photon/missing.js', 404],
    ['app://photon/assets/notes', 404],
    ['app://photon/assets', 404],
    ['app://other/index.html', 404],
    ['file:///etc/passwd', 404],
    ['app://photon/%E0%A4%A', 400],
  ])('refuses %s (%i) and shows nothing from outside', async (url, status) => {
    const response = await get(url);
    expect(response.status).toBe(status);
    const text = await response.text();
    expect(text).not.toContain('outside');
    expect(text).not.toContain('root:');
    // Refusals carry the policy too: no page of the scheme ever loads without it.
    expect(response.headers.get('content-security-policy')).toBe(policy);
  });

  it('answers HEAD without a body and refuses writes', async () => {
    const head = await get('app://photon/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get('app://photon/index.html', 'POST')).status).toBe(405);
  });
});

describe('appResponse', () => {
  it('decides by extension what is served (the renderer is made of nothing else)', () => {
    expect(appResponse({ url: 'app://photon/a/b.mjs', method: 'GET' }, '/r', policy)).toMatchObject({ status: 200, file: join('/r', 'a', 'b.mjs'), contentType: 'text/javascript; charset=utf-8' });
    expect(appResponse({ url: 'app://photon/x.exe', method: 'GET' }, '/r', policy)).toMatchObject({ status: 404 });
    expect(appResponse({ url: 'app://photon/x.PNG', method: 'GET' }, '/r', policy)).toMatchObject({ status: 200, contentType: 'image/png' });
  });

  it('registers the scheme as a secure standard origin without extra powers', () => {
    expect(appSchemePrivileges).toEqual({ standard: true, secure: true, supportFetchAPI: true, codeCache: true });
  });
});
