/** The built renderer as files: types, caching, client routes, and no way out of the folder. */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeRelativePath } from '../../../electron/server/web/static-files.js';
import { assetCss, assetJs, bearer, get, indexHtml, secretText, startTestHost, type TestHost } from './helpers.js';

let host: TestHost;
let auth: Record<string, string>;

beforeAll(async () => {
  host = await startTestHost();
  auth = bearer(host.server.token);
  // A link inside the static folder that points outside it must not be followed.
  symlinkSync(join(host.root, 'secret.txt'), join(host.staticDir, 'linked.txt'));
});

afterAll(async () => {
  await host.close();
});

describe('static files', () => {
  it('serves index.html for / with a no-cache policy', async () => {
    const answer = await get(host.server.port, '/', { headers: auth });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(indexHtml);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets with their types and a long, immutable cache', async () => {
    const js = await get(host.server.port, '/assets/index-Bx7f3a.js', { headers: auth });
    expect(js.status).toBe(200);
    expect(js.body).toBe(assetJs);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(js.headers['content-length'])).toBe(Buffer.byteLength(assetJs));

    const css = await get(host.server.port, '/assets/index-C9d2e1.css', { headers: auth });
    expect(css.body).toBe(assetCss);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');

    const svg = await get(host.server.port, '/favicon.svg', { headers: auth });
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-cache');
  });

  it('answers unknown app paths with index.html and unknown files with 404', async () => {
    for (const path of ['/workflows', '/runs/0b1c2d3e', '/runs/0b1c2d3e/steps/2?tab=output']) {
      const answer = await get(host.server.port, path, { headers: auth });
      expect(answer.status, path).toBe(200);
      expect(answer.body).toBe(indexHtml);
    }
    for (const path of ['/assets/index-gone.js', '/missing.css', '/favicon.ico']) {
      expect((await get(host.server.port, path, { headers: auth })).status, path).toBe(404);
    }
  });

  it('answers HEAD with the headers and no body', async () => {
    const answer = await get(host.server.port, '/assets/index-Bx7f3a.js', { method: 'HEAD', headers: auth });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(answer.body).toBe('');
  });

  it('never serves a file outside the folder, hidden files or links out of it', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/%2e%2e%5csecret.txt',
      '/....//secret.txt',
      `/${encodeURIComponent(join(host.root, 'secret.txt'))}`,
      '/secret.txt%00.js',
      '/%ff%fe',
      '/.env',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/linked.txt',
    ];
    for (const path of attempts) {
      const answer = await get(host.server.port, path, { headers: auth });
      expect(answer.body, path).not.toContain(secretText);
      expect(answer.body, path).not.toContain('HIDDEN=1');
      expect([200, 400, 404], path).toContain(answer.status);
      // A fallback to the app is harmless; anything else served would be a leak.
      if (answer.status === 200) expect(answer.body, path).toBe(indexHtml);
    }
  });
});

describe('safeRelativePath', () => {
  it('keeps plain paths and refuses escapes, hidden names and undecodable text', () => {
    expect(safeRelativePath('/')).toBe('');
    expect(safeRelativePath('/assets/index-Bx7f3a.js')).toBe('assets/index-Bx7f3a.js');
    expect(safeRelativePath('/a%20b.txt')).toBe('a b.txt');
    for (const bad of ['/..', '/a/../..', '/%2e%2e/x', '/a%2f..%2f..%2fx', '/a%5cb', '/.git/config', '/x%00', '/%E0%A4%A', '/C:/x']) {
      expect(safeRelativePath(bad), bad).toBeUndefined();
    }
  });
});

describe('before the renderer is built', () => {
  it('says to run `npm run build` instead of serving nothing', async () => {
    const bare = await startTestHost({ withIndex: false });
    try {
      const answer = await get(bare.server.port, '/', { headers: bearer(bare.server.token) });
      expect(answer.status).toBe(500);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.body).toContain('npm run build');
      const route = await get(bare.server.port, '/runs/x', { headers: bearer(bare.server.token) });
      expect(route.status).toBe(500);
      // The health check still answers: the server works, only the interface is missing.
      expect((await get(bare.server.port, '/health', { headers: bearer(bare.server.token) })).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});
