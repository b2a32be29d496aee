import { afterAll, describe, expect, it } from 'vitest';
import { startPhoton, tempFolder, waitUntil } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());

describe('photon serve', () => {
  it('prints the address with its token, answers on loopback, and stops cleanly on SIGTERM', async () => {
    const server = startPhoton(['serve', '--port', '0', '--data-dir', temp.dataDir]);
    await waitUntil(() => /Photon is running at /.test(server.stdout()), 20_000, 'the address');
    const match = /^Photon is running at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))$/m.exec(server.stdout());
    expect(match).not.toBeNull();
    const [, , port, token] = match!;

    const health = await fetch(`http://127.0.0.1:${port}/health`, { headers: { Authorization: `Bearer ${token}` } });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ success: true, data: { status: 'ok' } });
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(401);

    server.child.kill('SIGTERM');
    const result = await server.done;
    expect(result.code).toBe(0);
  });

  it('refuses a port out of range, exit 2', async () => {
    const result = await startPhoton(['serve', '--port', '70000', '--data-dir', temp.dataDir]).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port needs a whole number from 0 to 65535');
  });
});
