/**
 * The sampler against real processes in real pseudo-terminals: CPU and memory of whole process
 * trees (children and short-lived grandchildren included), the machine and the engine, and a
 * sampler that runs only while something does.
 */
import { cpus, totalmem } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../helpers.js';
import { allocating, busyLoop, kernelCpu, startedAtMs, startHarness, type MetricsHarness } from './metrics-harness.js';

const megabyte = 1_000_000;
let harness: MetricsHarness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.runIf(process.platform === 'linux')('the sampler, reading /proc', () => {
  it('shows a busy loop using a core, the CPU the kernel charged it, and nothing once it is stopped', async () => {
    harness = startHarness();
    const loop = await harness.spawn(busyLoop);
    const idle = await harness.spawn('sleep 30');
    const pid = loop.info.pid!;
    await harness.moreTicks(6);

    // Freeze the loop: from here on the kernel charges it nothing, so its total is known.
    process.kill(pid, 'SIGSTOP');
    const { seconds, startTicks } = kernelCpu(pid);
    const frozenAt = Date.now();
    await harness.moreTicks(3);

    const ticks = harness.ticks;
    const busy = ticks.flatMap((tick) => tick.processes.filter((p) => p.terminalId === loop.info.id).map((p) => ({ at: Date.parse(tick.at), cpu: p.cpuPercent })));
    const running = busy.filter((s) => s.at < frozenAt);
    // The loop gets whatever share of a core this shared machine leaves it, which is never little.
    expect(Math.max(...running.map((s) => s.cpu))).toBeGreaterThan(15);
    expect(Math.max(...harness.samplesOf(idle.info.id).map((s) => s.cpuPercent))).toBeLessThan(3);
    // Each sample is the share since the previous one, the first since the process started; a
    // first sample taken less than an interval after the start reads 0 and leaves its span to the
    // next. So over the samples they add up to the CPU time the kernel charged the loop.
    let previous = startedAtMs(startTicks);
    let charged = 0;
    for (const [index, sample] of busy.entries()) {
      if (index === 0 && sample.cpu === 0) continue;
      charged += (sample.cpu / 100) * ((sample.at - previous) / 1000);
      previous = sample.at;
    }
    expect(charged).toBeGreaterThan(seconds * 0.85 - 0.05);
    expect(charged).toBeLessThan(seconds * 1.15 + 0.05);
    // Stopped, it uses nothing.
    expect(busy.at(-1)!.cpu).toBeLessThan(2);
    process.kill(pid, 'SIGCONT');
  });

  it("shows a process's memory", async () => {
    harness = startHarness();
    const terminal = await harness.spawn(allocating(200));
    await waitUntil(() => harness!.samplesOf(terminal.info.id).some((s) => s.rssBytes > 200 * megabyte), 'the 200 MB to show', 20_000);
    const latest = harness.samplesOf(terminal.info.id).at(-1)!;
    expect(latest.rssBytes).toBeGreaterThan(200 * megabyte);
    expect(latest.rssBytes).toBeLessThan(400 * megabyte);
  });

  it("adds up the whole tree: children's memory and CPU count for the terminal that started them", async () => {
    harness = startHarness();
    // The shell only waits; its two children hold the memory and a third one spins.
    const terminal = await harness.spawn(`${allocating(100)} & ${allocating(100)} & sh -c '${busyLoop}' & wait`);
    await waitUntil(() => harness!.samplesOf(terminal.info.id).some((s) => s.rssBytes > 200 * megabyte), 'both children to be counted', 20_000);
    const from = harness.ticks.length;
    await harness.moreTicks(3);
    const samples = harness.samplesOf(terminal.info.id, from);
    expect(Math.min(...samples.map((s) => s.processes))).toBeGreaterThanOrEqual(4);
    expect(Math.min(...samples.map((s) => s.rssBytes))).toBeGreaterThan(200 * megabyte);
    expect(Math.max(...samples.map((s) => s.cpuPercent))).toBeGreaterThan(15);
  });

  it('counts the CPU of children that come and go between samples', async () => {
    harness = startHarness();
    // Each child counts to a few thousand and exits; the shell that starts them only waits.
    const terminal = await harness.spawn(`while :; do sh -c 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done'; done`);
    await harness.moreTicks(2);
    const from = harness.ticks.length;
    await harness.moreTicks(4);
    const samples = harness.samplesOf(terminal.info.id, from);
    // Summing only the processes alive at each sample would show close to nothing here.
    expect(samples.reduce((sum, s) => sum + s.cpuPercent, 0) / samples.length).toBeGreaterThan(15);
  });

  it('reports the machine and the engine', async () => {
    harness = startHarness();
    await harness.spawn('sleep 30');
    await harness.moreTicks(2);
    const { machine, engine, sampling, waitingDetection } = harness.ticks.at(-1)!;
    expect(sampling).toBe('proc');
    expect(waitingDetection).toBe(true);
    expect(machine.cpus).toBe(cpus().length);
    expect(machine.memoryTotalBytes).toBe(totalmem());
    expect(machine.memoryUsedBytes).toBeGreaterThan(0);
    expect(machine.memoryUsedBytes).toBeLessThan(machine.memoryTotalBytes);
    expect(machine.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(machine.cpuPercent).toBeLessThanOrEqual(100);
    expect(machine.load).toHaveLength(3);
    // This test process is the engine here: its resident memory is what Node reports for it.
    expect(engine.rssBytes).toBeGreaterThan(20 * megabyte);
    expect(Math.abs(engine.rssBytes - process.memoryUsage.rss())).toBeLessThan(100 * megabyte);
  });
});

describe.runIf(process.platform === 'linux')('the sampler, reading ps (as on macOS)', () => {
  it("adds up a tree's memory and CPU from ps", async () => {
    harness = startHarness({ processSampling: 'ps' });
    const terminal = await harness.spawn(`${allocating(150)} & sh -c '${busyLoop}' & wait`);
    await waitUntil(() => harness!.samplesOf(terminal.info.id).some((s) => s.rssBytes > 150 * megabyte && s.processes >= 3), 'the tree from ps', 20_000);
    await harness.moreTicks(2);
    const latest = harness.samplesOf(terminal.info.id).at(-1)!;
    expect(harness.ticks.at(-1)!.sampling).toBe('ps');
    expect(latest.rssBytes).toBeGreaterThan(150 * megabyte);
    expect(latest.cpuPercent).toBeGreaterThan(15);
    expect(harness.ticks.at(-1)!.waitingDetection).toBe(false);
  });
});

describe('the sampler on any OS', () => {
  it('samples only while something runs, and sends one last tick when all is idle', async () => {
    harness = startHarness();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(harness.ticks).toEqual([]);
    expect(harness.metrics.sampling).toBe(false);

    const terminal = await harness.spawn('sleep 1');
    await waitUntil(() => harness!.samplesOf(terminal.info.id).length > 0, 'a tick with the terminal');
    expect(harness.metrics.sampling).toBe(true);
    await waitUntil(() => !harness!.metrics.sampling, 'the sampler to stop');
    const last = harness.ticks.at(-1)!;
    expect(last.processes).toEqual([]);
    expect(last.active.terminals).toBe(0);
    const count = harness.ticks.length;
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(harness.ticks.length).toBe(count);

    // Idle, a snapshot is still fresh: the machine as it is now, no processes.
    const snapshot = await harness.metrics.snapshot();
    expect(Date.parse(snapshot.at)).toBeGreaterThan(Date.parse(last.at));
    expect(snapshot.processes).toEqual([]);
    expect(harness.ticks.length).toBe(count);
  });
});
