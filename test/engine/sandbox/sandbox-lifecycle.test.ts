/**
 * A sandboxed step's life around the sandbox: refused where bubblewrap cannot run (unless the
 * user allowed running unsandboxed), fenced in through its agent, and stopped whole, including a
 * process that left its session and dropped Photon's marks.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStat } from '../../../electron/engine/terminals/process-group.js';
import { runToEnd, shellStep, stepOf, useSandbox, waitUntil, workflowOf } from '../helpers.js';
import { bwrapAvailable } from './sandbox-setup.js';

const fenced = { sandbox: { network: false, write: ['worktree'] } };

describe('a sandboxed step where bubblewrap is missing', () => {
  const sandbox = useSandbox('sandbox-missing', { env: { ...process.env, PHOTON_BWRAP: '/nonexistent/bwrap' } });

  it('is refused with the reason and the fix, and nothing runs', async () => {
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, 'echo ran > ran.txt', fenced), shellStep(2, 'echo unfenced > plain.txt')]);

    expect(status).toBe('failed');
    const step = stepOf(detail, 1);
    expect(step.status).toBe('failed');
    expect(step.error).toContain('workflow[0].sandbox: this step must run in a sandbox, and bubblewrap is not at PHOTON_BWRAP (/nonexistent/bwrap)');
    expect(step.error).toContain('install it (apt install bubblewrap');
    expect(step.error).toContain('PHOTON_ALLOW_UNSANDBOXED=1');
    expect(existsSync(join(sandbox.work, 'ran.txt'))).toBe(false);
    // A step that asked for no sandbox runs as before.
    expect(stepOf(detail, 2).status).toBe('succeeded');
    expect(readFileSync(join(sandbox.work, 'plain.txt'), 'utf8')).toBe('unfenced\n');
  });
});

describe('a sandboxed step where bubblewrap is missing and the user allowed running unsandboxed', () => {
  const sandbox = useSandbox('sandbox-allowed', { env: { ...process.env, PHOTON_BWRAP: '/nonexistent/bwrap', PHOTON_ALLOW_UNSANDBOXED: '1' } });

  it('runs, and its output says it ran without a sandbox and why', async () => {
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, 'echo ran > ran.txt; echo done', fenced)]);

    expect(status).toBe('succeeded');
    expect(readFileSync(join(sandbox.work, 'ran.txt'), 'utf8')).toBe('ran\n');
    expect(stepOf(detail, 1).output).toMatch(/^photon: running without a sandbox, as PHOTON_ALLOW_UNSANDBOXED=1 allows: bubblewrap is not at PHOTON_BWRAP \(\/nonexistent\/bwrap\)\.\r?\ndone/);
  });
});

describe('a sandboxed step placed on a remote host', () => {
  const sandbox = useSandbox('sandbox-remote');

  it('is refused before anything starts, naming the host and both ways out', async () => {
    await sandbox.engine.call('hosts.add', { name: 'build-box', address: 'ssh://builder@127.0.0.1:9' });
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, 'echo ran', { ...fenced, host: 'build-box' })]);

    expect(status).toBe('failed');
    expect(stepOf(detail, 1).error).toBe(
      'workflow[0].sandbox: this step runs on host "build-box", where Photon cannot fence a process in yet (the sandbox runs on this machine). To fix: run it here (remove its "host"), or on build-box without "sandbox".',
    );
    expect(stepOf(detail, 1).output).toBe('');
  });
});

describe.skipIf(!bwrapAvailable)('a sandboxed step (bubblewrap) around its run', () => {
  const sandbox = useSandbox('sandbox-life');

  it("is fenced in by its agent's sandbox, and a step's own sandbox overrides it", async () => {
    // The folder holding the step's folder: shown read-only, wherever the test's temp folder is.
    const outside = dirname(sandbox.work);
    await sandbox.engine.call('agents.save', { agent: { id: 'fenced', name: 'Fenced', tool: 'shell', sandbox: { network: false } } });
    const command = `echo in > "in-$PHOTON_STEP.txt"; echo out > '${outside}'/"out-$PHOTON_STEP.txt"; echo done`;
    const { detail } = await runToEnd(sandbox, [
      shellStep(1, command, { agent: 'fenced' }),
      shellStep(2, command, { agent: 'fenced', sandbox: { write: ['worktree'], network: true } }),
    ]);

    expect(readFileSync(join(sandbox.work, 'in-1.txt'), 'utf8')).toBe('in\n');
    expect(stepOf(detail, 1).output).toContain('add it to "write" in agent "fenced" sandbox');
    expect(stepOf(detail, 2).output).toContain('add it to "write" in workflow[1].sandbox');
    expect(existsSync(join(outside, 'out-1.txt'))).toBe(false);
    expect(existsSync(join(outside, 'out-2.txt'))).toBe(false);
  });

  it('is stopped whole on cancel: a process that left its session and dropped the marks dies with the sandbox', { timeout: 90_000 }, async () => {
    const tag = `${process.pid}${Date.now() % 100000}`;
    // Only the sandbox's pid namespace can stop this one: another session, no PHOTON_* marks, SIGTERM and SIGHUP ignored.
    const escapee = `setsid env -u PHOTON_RUN_ID -u PHOTON_STEP -u PHOTON_ATTEMPT sh -c 'trap "" TERM HUP; exec sleep ${tag}' &`;
    const workflow = workflowOf([shellStep(1, `${escapee} echo started > started.txt; sleep 300`, fenced)]);
    const { runId } = await sandbox.engine.call('runs.start', { workflow, baseDir: sandbox.work });
    await waitUntil(() => existsSync(join(sandbox.work, 'started.txt')), 'the sandboxed step to start its escapee', 30_000);
    await waitUntil(() => sleepers(tag).length > 0, 'the escapee to run', 30_000);

    try {
      await sandbox.engine.call('runs.cancel', { runId });
      expect(await sandbox.engine.waitForRun(runId)).toBe('cancelled');
      await waitUntil(() => sleepers(tag).length === 0, 'every process of the sandbox to be gone', 30_000);
    } finally {
      // A failure here must not leave the escapee running on the machine.
      for (const pid of sleepers(tag)) process.kill(pid, 'SIGKILL');
    }
  });
});

/** Live processes running `sleep TAG`, from /proc as this machine's PID namespace sees it. */
function sleepers(tag: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        const stat = readStat(Number(pid));
        return args[0]?.endsWith('sleep') && args[1] === tag && stat !== undefined && stat.state !== 'Z';
      } catch {
        return false;
      }
    })
    .map(Number);
}

