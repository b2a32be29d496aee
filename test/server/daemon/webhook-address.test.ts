/**
 * Where a webhook is called: the engine says the address its HTTP server really listens on, so the
 * desktop app's Schedules dialog shows a URL that answers instead of assuming port 7420. A real
 * `photon daemon` on a port of its own choosing, seen through the DaemonEngine the app uses; an
 * engine behind the browser host; and an engine with no server, which makes up no address.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectToDaemon, DaemonEngine } from '../../../electron/server/daemon/index.js';
import { shellStep, startEngine, workflowOf } from '../../engine/helpers.js';
import { startApiHost } from '../api/helpers.js';
import { startDaemon, tempFolder } from '../cli/helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("a webhook's address", () => {
  it("in the desktop app on a daemon, is the daemon's own address (a port it chose), and a call there starts the run", { timeout: 120_000 }, async () => {
    const folder = tempFolder();
    cleanups.push(() => folder.cleanup());
    const own = await startEngine(folder.dataDir);
    const { id: workflowId } = await own.call('workflows.save', { workflow: workflowOf([shellStep(1, 'echo hooked')], 'deploy') });
    // Without a server in front of it, an engine knows no address for its webhooks, and says so.
    expect(await own.call('triggers.webhookBase', undefined)).toEqual({ url: null });
    await own.close();

    const daemon = startDaemon(folder.dataDir);
    cleanups.push(async () => {
      if (daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill('SIGTERM');
      await daemon.done;
    });
    const { url } = await daemon.ready;
    expect(url).not.toContain(':7420');
    const engine = new DaemonEngine((await connectToDaemon(folder.dataDir))!);
    cleanups.push(() => engine.close());

    expect(await engine.call('triggers.webhookBase', undefined)).toEqual({ url });
    const created = await engine.call('triggers.add', { kind: 'webhook', workflowId, name: 'on push' });
    const called = await fetch(`${url}${created.trigger.webhookPath}`, { method: 'POST', headers: { 'x-photon-secret': created.secret! } });
    expect(called.status).toBe(202);
    const { runId } = ((await called.json()) as { data: { runId: string } }).data;
    let status = '';
    for (const deadline = Date.now() + 60_000; status !== 'succeeded' && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
      status = (await engine.call('runs.get', { runId })).status;
    }
    expect(status).toBe('succeeded');
  });

  it('behind the browser host, is where that server listens, and none once it stopped', async () => {
    const { host } = await startApiHost();
    cleanups.push(() => host.close());
    expect(await host.engine.call('triggers.webhookBase', undefined)).toEqual({ url: `http://127.0.0.1:${host.server.port}` });
    await host.stopServer();
    expect(await host.engine.call('triggers.webhookBase', undefined)).toEqual({ url: null });
  });
});
