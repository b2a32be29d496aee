import { describe, expect, it } from 'vitest';
import type { MetricsSnapshot } from '../../../shared/metrics.js';
import { shellStep, waitUntil, workflowOf } from '../helpers.js';
import { hostName, remoteTestTimeoutMs, useRemoteHost } from './remote-host-fixture.js';
import { sshdAvailable } from './sshd.js';

describe.skipIf(!sshdAvailable)('metrics of steps on a remote host', { timeout: remoteTestTimeoutMs }, () => {
  const sandbox = useRemoteHost('hosts-metrics');

  it('shows a remote step’s CPU and memory, sampled on the host, by agent with the host named, and nothing once it ended', async () => {
    await sandbox.engine.call('agents.save', { agent: { id: 'far', name: 'Far', tool: 'shell', location: 'remote', host: hostName } });
    const ticks: MetricsSnapshot[] = [];
    sandbox.engine.on('metrics.tick', (snapshot) => void ticks.push(snapshot));
    const { runId } = await sandbox.engine.call('runs.start', {
      // A busy loop in the remote shell itself: the host's CPU, not the local ssh client's, which idles.
      workflow: workflowOf([shellStep(1, 'while :; do :; done', { agent: 'far' })]),
      baseDir: sandbox.work,
    });
    const busy = (snapshot: MetricsSnapshot) => snapshot.processes.find((p) => p.owner?.runId === runId && p.host === hostName && p.cpuPercent > 40);
    // The machine is shared with other tests: a loop that gets a fair share shows within a minute.
    await waitUntil(() => ticks.some(busy), 'a tick with the remote busy loop over 40 % CPU', 60_000);
    const tick = ticks.find(busy)!;
    const tree = busy(tick)!;
    expect(tree.rssBytes).toBeGreaterThan(100 * 1024);
    expect(tree.processes).toBeGreaterThanOrEqual(1);
    const agent = tick.agents.find((a) => a.agent === 'far');
    expect(agent).toMatchObject({ hosts: [hostName], steps: 1 });
    expect(agent!.cpuPercent).toBeGreaterThan(40);

    await sandbox.engine.call('runs.cancel', { runId });
    expect(await sandbox.engine.waitForRun(runId)).toBe('cancelled');
    const seen = ticks.length;
    // The sampler ends with one tick once all is idle, or goes on ticking: either way a tick comes.
    await waitUntil(() => ticks.length > seen + 1 || (ticks.length > seen && !ticks.at(-1)!.processes.length), 'a tick after the step ended', 30_000);
    const after = ticks.at(-1)!;
    expect(after.processes.filter((p) => p.owner?.runId === runId)).toEqual([]);
    expect(after.agents.find((a) => a.agent === 'far')).toBeUndefined();
    expect((await sandbox.engine.call('metrics.snapshot', {})).processes.filter((p) => p.owner?.runId === runId)).toEqual([]);
  });
});
