import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TerminalManager } from '../../../electron/engine/terminals/index.js';
import { readStat } from '../../../electron/engine/terminals/process-group.js';
import { ptyHostPid } from '../../../electron/engine/terminals/pty-host.js';
import type { TerminalInfo } from '../../../shared/terminals.js';
import { runEngine } from '../engine-process.js';
import { holdsPid, isDead, makeTempDir, readPid, removeDir, repoRoot, runToEnd, shellStep, stepOf, useSandbox, waitUntil, workflowOf } from '../helpers.js';
import { hostOf } from './spawner-parent.js';

/**
 * Photon starts every pseudo-terminal from its pty host, a small process of its own: forking the
 * engine for each process cost about 4 ms of its main thread (bench/dag.bench.ts). These are the
 * guarantees that move with it.
 */
describe('the pty host', () => {
  const sandbox = useSandbox('pty-host');

  const openShell = async (command: string): Promise<TerminalInfo> => sandbox.engine.call('terminals.create', { command, cwd: sandbox.work });
  const screenOf = async (id: string) => (await sandbox.engine.call('terminals.attach', { id })).scrollback;

  /** Asks until the answer is there. */
  async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const found = await probe();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("starts a terminal's process from the host, not by forking the engine", async () => {
    const terminal = await openShell('sleep 30');
    // The contract's answer carries the pid, as it did when the engine forked the process itself.
    expect(terminal.pid).toBeGreaterThan(0);
    expect(readStat(terminal.pid!)!.ppid).not.toBe(process.pid);
    expect(hostOf(terminal.pid!)).toBe(ptyHostPid());
    await sandbox.engine.call('terminals.kill', { id: terminal.id });
  });

  it('a host that dies is reported in the terminal, leaves nothing running, and the next terminal gets a new host', async () => {
    const jobFile = join(sandbox.work, 'job.pid');
    // A background job that ignores the hang-up its terminal gets when the host dies.
    const terminal = await openShell(`(trap "" HUP; echo $BASHPID > ${jobFile}; exec sleep 300) & sleep 300`);
    await waitUntil(() => holdsPid(jobFile), 'the job to start');
    const job = readPid(jobFile);
    const firstHost = ptyHostPid()!;
    process.kill(firstHost, 'SIGKILL');

    const exited = await eventually(async () => (await sandbox.engine.call('terminals.list', undefined)).find((t) => t.id === terminal.id && t.status === 'exited'), 'the terminal to be reported exited');
    expect(exited.exitCode).toBeNull();
    expect(await screenOf(terminal.id)).toMatch(/photon: Photon's terminal host \(pid \d+\) ended \(SIGKILL\)/);
    await waitUntil(() => isDead(job) && isDead(terminal.pid!), 'the orphaned processes to be stopped');

    const next = await openShell('echo "af""ter"; sleep 30');
    expect(hostOf(next.pid!)).toBe(ptyHostPid());
    expect(ptyHostPid()).not.toBe(firstHost);
    await eventually(async () => ((await screenOf(next.id)).includes('after') ? true : undefined), 'the new terminal to answer');
    await sandbox.engine.call('terminals.kill', { id: next.id });
  });

  it('fails a step whose host died with the reason, and its retry runs on a new host', async () => {
    const marker = join(sandbox.work, 'attempts');
    // The first attempt waits to be orphaned; the second succeeds.
    const step = shellStep(1, `echo x >> ${marker}; if [ "$(wc -l < ${marker})" -eq 1 ]; then echo $$ > leader; sleep 300; fi`, { retryPolicy: { maxAttempts: 2, initialIntervalMs: 10 } });
    const ended = runToEnd(sandbox, [step]);
    await waitUntil(() => holdsPid(join(sandbox.work, 'leader')), 'the first attempt to start');
    process.kill(ptyHostPid()!, 'SIGKILL');
    const { runId, status, detail } = await ended;
    expect(status).toBe('succeeded');
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', attempts: 2 });
    const { attemptHistory } = await sandbox.engine.call('steps.get', { runId, step: 1 });
    expect(attemptHistory[0]).toMatchObject({ status: 'failed' });
    expect(attemptHistory[0]!.error).toMatch(/^Photon's terminal host \(pid \d+\) ended \(SIGKILL\)/);
  });
});

describe('the pty host of an engine process', () => {
  it('ends when its engine is killed with SIGKILL, and the terminals with it', async () => {
    const root = makeTempDir('pty-host-crash');
    try {
      const workflowFile = join(root, 'workflow.json');
      writeFileSync(workflowFile, JSON.stringify(workflowOf([shellStep(1, 'echo $$ > leader; sleep 300')], 'orphan')));
      const engine = spawn(process.execPath, [runEngine, join(root, 'data'), workflowFile], { cwd: repoRoot, stdio: 'ignore' });
      const gone = new Promise((resolve) => engine.once('exit', resolve));
      let host: number | undefined;
      let leader: number;
      try {
        await waitUntil(() => holdsPid(join(root, 'leader')), 'the step to start', 30_000);
        leader = readPid(join(root, 'leader'));
        host = hostOf(leader);
      } finally {
        engine.kill('SIGKILL');
        await gone;
      }
      expect(host).toBeDefined();
      expect(host).not.toBe(engine.pid);
      await waitUntil(() => isDead(host!) && isDead(leader), 'the host and its terminal to end', 15_000);
    } finally {
      removeDir(root);
    }
  }, 60_000);
});

describe('the pty host under a flood', () => {
  const residentMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

  it('holds a terminal back while the engine is too busy to read, instead of keeping its output in memory', async () => {
    let received = 0;
    const manager = new TerminalManager({ data: (_id, data) => void (received += data.length), updated: () => {} });
    // No view is attached: only the engine's own reading can slow the flood down.
    const flood = manager.create({ file: '/bin/sh', args: ['-c', `yes "$(printf '%0100d' 0)"`], cwd: repoRoot, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, title: 'flood', command: 'yes' });
    try {
      await flood.started;
      await waitUntil(() => received > 4_000_000, 'the flood to flow');
      const host = ptyHostPid()!;
      const before = residentMb(host);
      // The engine's thread does something else for a while: nothing reads the host's output.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4000);
      const grown = residentMb(host) - before;
      expect(grown).toBeLessThan(24);
      // And it flows again once the engine reads.
      const then = received;
      await waitUntil(() => received > then + 4_000_000, 'the flood to flow again');
    } finally {
      await manager.killAll();
    }
  }, 60_000);
});
