/**
 * The rate limits `photon serve` applies to API keys: on by default (600 a minute), the rates saved
 * in the Settings page (DATA_DIR/remote-access.json) when there are some, and its flags above both.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRemoteAccessSettings } from '../../../shared/remote-access.js';
import { photon, startServe, tempFolder } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());

/** Serves with these flags, makes `requests` requests with a key, and reports each status and the policy header. */
async function serveAndAsk(key: string, flags: string[], requests: number): Promise<{ statuses: number[]; policy: string | null; retryAfter: string | null }> {
  const server = startServe(temp.dataDir, flags);
  try {
    const { port } = await server.ready;
    const statuses: number[] = [];
    let policy: string | null = null;
    let retryAfter: string | null = null;
    for (let i = 0; i < requests; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/health`, { headers: { 'x-api-key': key } });
      await response.body?.cancel();
      statuses.push(response.status);
      policy = response.headers.get('ratelimit-policy');
      retryAfter = response.headers.get('retry-after') ?? retryAfter;
    }
    return { statuses, policy, retryAfter };
  } finally {
    server.child.kill('SIGTERM');
    await server.done;
  }
}

describe('photon serve rate limits', () => {
  it('limits keys by default, by the saved settings, and by its flags over them', async () => {
    const key = (await photon(['keys', 'create', 'script', '--scope', 'read', '--data-dir', temp.dataDir])).stdout.trim();

    expect(await serveAndAsk(key, [], 2)).toEqual({ statuses: [200, 200], policy: '"key";q=600;w=60', retryAfter: null });

    writeFileSync(join(temp.dataDir, 'remote-access.json'), JSON.stringify({ ...defaultRemoteAccessSettings, keyRate: '2/min' }));
    const saved = await serveAndAsk(key, [], 3);
    expect(saved).toMatchObject({ statuses: [200, 200, 429], policy: '"key";q=2;w=60' });
    // Half a minute for one of two a minute, less what the requests took.
    expect(Number(saved.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(saved.retryAfter)).toBeLessThanOrEqual(30);

    const flagged = await serveAndAsk(key, ['--key-rate', 'off'], 3);
    expect(flagged).toEqual({ statuses: [200, 200, 200], policy: null, retryAfter: null });
  }, 180_000);
});
