import { spawnSync } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HostConnection } from '../../../electron/engine/hosts/connection.js';
import { RemoteMetrics } from '../../../electron/engine/hosts/remote-metrics.js';
import { makeTempDir, removeDir } from '../helpers.js';

/**
 * The remote sampler against hosts that do not answer, with the real ssh: a sample that fails
 * says "no numbers this tick" for that host's steps, in bounded time, and never throws into the
 * metrics sampler (whose tick would otherwise be lost for every step, local ones too).
 */
describe('remote samples that fail', { timeout: 60_000 }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function connectionTo(port: number): HostConnection {
    const root = makeTempDir('remote-sample-failures');
    cleanups.push(() => removeDir(root));
    const settings = { folder: join(root, 'ssh'), userKnownHosts: false };
    return new HostConnection('gone', { user: 'nobody', hostname: '127.0.0.1', port, path: null }, settings, { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: root });
  }

  async function listen(onConnection: (socket: Socket) => void): Promise<number> {
    const server: Server = createServer(onConnection);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const sockets: Socket[] = [];
    server.on('connection', (socket) => sockets.push(socket));
    cleanups.push(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return (server.address() as { port: number }).port;
  }

  it('leaves the steps of a host that refuses the connection without numbers', async () => {
    // A port that was just free: nothing listens there.
    const port = await listen(() => undefined);
    await cleanups.pop()!();
    const metrics = new RemoteMetrics(1000, 5000);
    metrics.track('t-1', 'gone', 'run-1-1', connectionTo(port));
    expect(metrics.active).toBe(true);
    expect([...(await metrics.sample())]).toEqual([['t-1', null]]);
  });

  it('gives up on a host that accepts but never answers within its limit, not ssh’s own connect timeout', async () => {
    // ssh waits ConnectTimeout (10 s) for the banner before it gives up and exits: the sample must
    // answer while it still waits, the sampler's own limit being far shorter.
    const port = await listen(() => undefined);
    const metrics = new RemoteMetrics(1000, 1500);
    metrics.track('t-1', 'silent', 'run-1-1', connectionTo(port));
    const sampled = await metrics.sample();
    const waitingSsh = spawnSync('pgrep', ['-f', '--', `-N -f -p ${port} nobody@127.0.0.1`], { encoding: 'utf8' }).stdout.trim();
    expect([...sampled]).toEqual([['t-1', null]]);
    expect(waitingSsh, 'ssh had given up before the sample answered: the sampler waited for ssh’s own timeout').not.toBe('');
    metrics.untrack('t-1');
    expect(metrics.active).toBe(false);
    expect(await metrics.sample()).toEqual(new Map());
  });
});
