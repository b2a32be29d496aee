/**
 * Remote hosts given wrong: each step fails with the cause and the fix, before anything runs.
 * An address where nothing listens, a host nobody added, a remote agent without a host, an AI
 * tool placed on a host, a bad address.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { shellStep, stepOf, useSandbox, workflowOf } from '../helpers.js';

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('remote hosts given wrong', () => {
  const sandbox = useSandbox('hosts-bad', { loginShell: false, hosts: { userKnownHosts: false } });

  const failure = async (steps: ReturnType<typeof shellStep>[]) => {
    const { runId } = await sandbox.engine.call('runs.start', { workflow: workflowOf(steps), baseDir: sandbox.work });
    expect(await sandbox.engine.waitForRun(runId)).toBe('failed');
    return stepOf(await sandbox.engine.call('runs.get', { runId }), 1).error;
  };

  it('an address where nothing listens: the step says so and how to fix it; the host shows the error', async () => {
    const port = await closedPort();
    await sandbox.engine.call('hosts.add', { name: 'down', address: `ssh://nobody@127.0.0.1:${port}` });
    expect(await failure([shellStep(1, 'true', { host: 'down' })])).toMatch(/^host "down": cannot connect: .*Connection refused: nothing listens there; check that sshd runs and the port is right$/);
    const [host] = await sandbox.engine.call('hosts.list', undefined);
    expect(host).toMatchObject({ name: 'down', status: 'error', lastError: expect.stringContaining('Connection refused') });
  });

  it('a host nobody added, a remote agent without a host', async () => {
    expect(await failure([shellStep(1, 'true', { host: 'nowhere' })])).toBe('step 1: no host named "nowhere"; add it with: photon hosts add nowhere ssh://user@host');
    await sandbox.engine.call('agents.save', { agent: { id: 'far', name: 'Far', tool: 'shell', location: 'remote' } });
    expect(await failure([shellStep(1, 'true', { agent: 'far' })])).toBe('agent "far": location "remote" needs a host; set its host to one of: (none yet: photon hosts add NAME ssh://user@host)');
  });

  it('refuses a bad address or name, naming the fix, and keeps nothing', async () => {
    await expect(sandbox.engine.call('hosts.add', { name: 'x', address: 'http://example.com' })).rejects.toThrow('host "x": "http://example.com" is not an ssh address; write ssh://user@host or ssh://user@host:port');
    await expect(sandbox.engine.call('hosts.add', { name: 'x', address: 'ssh://-oProxyCommand=evil' })).rejects.toThrow(/not an ssh address|may not start with "-"/);
    await expect(sandbox.engine.call('hosts.add', { name: 'x', address: 'ssh://me@host:70000' })).rejects.toThrow('port 70000 is out of range (1 to 65535)');
    await expect(sandbox.engine.call('hosts.add', { name: 'bad name', address: 'ssh://me@host' })).rejects.toThrow(/name/);
    expect(await sandbox.engine.call('hosts.list', undefined)).toEqual([]);
  });
});
