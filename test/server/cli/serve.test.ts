import { afterAll, describe, expect, it } from 'vitest';
import { startPhoton, startServe, tempFolder, waitUntil } from './helpers.js';

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

  it('with --max-runs, queues the runs beyond it and starts them as slots free', async () => {
    const server = startServe(temp.dataDir, ['--max-runs', '1']);
    try {
      const { port, token } = await server.ready;
      const start = async (command: string) => {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/operations`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: 'queued by serve', workflow: [{ step: 1, platform: 'shell', inputs: { command } }], baseDir: temp.dir }),
        });
        return ((await response.json()) as { data: { id: string; status: string } }).data;
      };
      const first = await start('sleep 1');
      const second = await start('true');
      expect(first.status).toBe('running');
      expect(second.status).toBe('queued');
      const deadline = Date.now() + 30_000;
      let status = second.status;
      while (status !== 'succeeded' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/operations/${second.id}`, { headers: { Authorization: `Bearer ${token}` } });
        status = ((await response.json()) as { data: { status: string } }).data.status;
      }
      expect(status).toBe('succeeded');
    } finally {
      server.child.kill('SIGTERM');
      await server.done;
    }
  });

  it('refuses a port out of range, exit 2', async () => {
    const result = await startPhoton(['serve', '--port', '70000', '--data-dir', temp.dataDir]).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port needs a whole number from 0 to 65535');
  });

  it('refuses --max-runs 0, exit 2', async () => {
    const result = await startPhoton(['serve', '--max-runs', '0', '--data-dir', temp.dataDir]).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--max-runs needs a whole number from 1 to 10000');
  });
});
