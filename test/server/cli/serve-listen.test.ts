/**
 * `photon serve --listen` as a user runs it: HTTPS on this machine's network address (or all of
 * them) with a certificate Photon makes, its fingerprint printed and pinned by the client, a key
 * made with `photon keys create` in another terminal. Nothing leaves the machine.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { lanAddress } from '../../fixtures/network.js';
import { pinnedGet } from '../auth/pinned-client.js';
import { photon, startServe, tempFolder } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());

describe('photon serve --listen', () => {
  it('serves HTTPS beyond loopback, prints the fingerprint to pin, and takes API keys', async () => {
    const server = startServe(temp.dataDir, ['--listen', lanAddress ?? '0.0.0.0']);
    try {
      const { port, stdout: out } = await server.ready;
      const fingerprint = /^Certificate SHA-256 fingerprint \(pin this\): ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})$/m.exec(out)?.[1];
      expect(fingerprint, out).toBeDefined();
      expect(out).toContain(`Listening beyond this machine at https://${lanAddress ?? ''}`);
      expect(out).toContain('Other machines sign in with an API key: photon keys create NAME --scope read|run|admin');

      const made = await photon(['keys', 'create', 'phone', '--scope', 'read', '--data-dir', temp.dataDir]);
      const key = made.stdout.trim();
      const answer = await pinnedGet(lanAddress ?? '127.0.0.1', port, '/api/v1/operations', fingerprint!, { 'x-api-key': key });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ success: true, data: { operations: [] } });
      expect((await pinnedGet(lanAddress ?? '127.0.0.1', port, '/api/v1/operations', fingerprint!)).status).toBe(401);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect((await server.done).code).toBe(0);
  }, 120_000);

  it('refuses what cannot be served safely or is not understood, exit 2', async () => {
    const cases: [string[], string][] = [
      [['--tls-cert', 'c.pem', '--tls-key', 'k.pem'], '--tls-cert and --tls-key go with --listen ADDRESS'],
      [['--listen', 'my-laptop'], '--listen my-laptop: give an IP address of this machine (e.g. 192.168.1.20), 0.0.0.0 for all of them, or 127.0.0.1'],
      [['--listen', '0.0.0.0', '--tls-cert', 'c.pem'], 'give both --tls-cert FILE and --tls-key FILE, or neither'],
      [['--key-rate', 'fast'], '--key-rate: "fast" is not a rate; write requests per window, such as 600/min, 20/s or 5000/h, or off'],
    ];
    for (const [args, message] of cases) {
      const result = await photon(['serve', '--port', '0', ...args, '--data-dir', temp.dataDir]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(message);
    }
  }, 120_000);
});
