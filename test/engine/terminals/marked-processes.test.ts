import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { markedProcesses, pidWindowFrom, stopMarkedProcesses } from '../../../electron/engine/terminals/marked-processes.js';
import { isDead, waitUntil } from '../helpers.js';

/** Finding processes by their marks, and the pid window that spares reading every process on the machine. */
// Marks of this test process only: its last test stops every process carrying them, which must never
// reach the processes of the same file running elsewhere on the machine at the same time.
const marks = { PHOTON_RUN_ID: `marked-test-${process.pid}`, PHOTON_STEP: '1', PHOTON_ATTEMPT: '1' };
const children: ChildProcess[] = [];
/** The program each child ends up as: `sh`, or what its script execs. */
const finalProgram = new WeakMap<ChildProcess, string>();

/** A process in a session of its own, as `setsid` would leave it, with `env` added to ours. */
function detached(env: Record<string, string>, script = 'exec sleep 300'): ChildProcess {
  const child = spawn('sh', ['-c', script], { env: { ...process.env, ...env }, detached: true, stdio: 'ignore' });
  children.push(child);
  finalProgram.set(child, script.startsWith('exec sleep') ? 'sleep' : 'sh');
  return child;
}

/**
 * Until its exec a child shows the environment of its parent, and while `sh` execs `sleep` it may
 * show none: wait until each is the program it stays and shows its own.
 */
async function started(...processes: ChildProcess[]): Promise<void> {
  const own = (child: ChildProcess) => {
    try {
      if (readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim() !== finalProgram.get(child)) return false;
      return readFileSync(`/proc/${child.pid}/environ`).includes(`PHOTON_RUN_ID=${marks.PHOTON_RUN_ID}\0`);
    } catch {
      return false;
    }
  };
  await waitUntil(() => processes.every(own), 'the processes to start');
}

const pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
const lastPid = () => Number(readFileSync('/proc/loadavg', 'utf8').trim().split(/\s+/)[4]);

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe.runIf(process.platform === 'linux')('marked processes', () => {
  it('finds a process that left for a session of its own by every mark, and nothing that misses one or holds a longer value', async () => {
    const marked = detached(marks);
    const longerValue = detached({ ...marks, PHOTON_ATTEMPT: '10' });
    const missing = detached({ PHOTON_RUN_ID: marks.PHOTON_RUN_ID, PHOTON_STEP: '1' });
    await started(marked, longerValue, missing);
    const found = await markedProcesses(marks);
    expect(found).toContain(marked.pid);
    expect(found).not.toContain(longerValue.pid);
    expect(found).not.toContain(missing.pid);
  });

  it('searches a pid window from its first pid on, and only that', async () => {
    const before = detached(marks);
    const first = detached(marks);
    const after = detached(marks);
    await started(before, first, after);
    const found = await markedProcesses(marks, pidWindowFrom(first.pid!));
    expect(found).toEqual(expect.arrayContaining([first.pid, after.pid]));
    // The window is what spares the search: a process older than it is not looked at.
    expect(found).not.toContain(before.pid);
  });

  it('searches every process once the window is old enough for pids to have come round again', async () => {
    const marked = detached(marks);
    const later = detached({});
    await started(marked);
    // A window that opened after the process, but so long ago that the pids may have wrapped since.
    const stale = { firstPid: later.pid!, openedAt: Date.now() - 24 * 60 * 60 * 1000 };
    expect(await markedProcesses(marks, { ...stale, openedAt: Date.now() })).not.toContain(marked.pid);
    expect(await markedProcesses(marks, stale)).toContain(marked.pid);
  });

  it('follows the pids round when they wrapped at pid_max since the window opened', async () => {
    // The window runs from near pid_max round to the last pid, which must stay at or past the marked
    // process's pid while the search reads it. With pid_max at 32768 a busy machine comes round in
    // seconds (a fresh clone's CI once did between the two), so a search the pids wrapped across
    // proves nothing and is made again.
    for (let attempt = 1; ; attempt++) {
      const marked = detached(marks);
      await started(marked);
      const before = lastPid();
      const found = await markedProcesses(marks, { firstPid: pidMax - 3, openedAt: Date.now() });
      const after = lastPid();
      if (marked.pid! <= before && before <= after) {
        expect(found).toContain(marked.pid);
        return;
      }
      if (attempt === 5) throw new Error(`the pids wrapped during each of ${attempt} searches`);
    }
  });

  it('stops them all, SIGKILL for one that ignores SIGTERM, and one started while they die', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'photon-marked-'));
    const polite = detached(marks);
    // Each says it is ready once its trap is set.
    const stubborn = detached(marks, `trap "" TERM; touch ${dir}/stubborn; while :; do sleep 0.05; done`);
    // Starts another marked process of its own when asked to stop, as a double fork under way would.
    const spawner = detached(marks, `trap "setsid sleep 300 & exit 0" TERM; touch ${dir}/spawner; while :; do sleep 0.05; done`);
    await started(polite);
    await waitUntil(() => existsSync(join(dir, 'stubborn')) && existsSync(join(dir, 'spawner')), 'the traps to be set');
    rmSync(dir, { recursive: true });
    await stopMarkedProcesses(marks, 300);
    expect(await markedProcesses(marks)).toEqual([]);
    for (const child of [polite, stubborn, spawner]) expect(isDead(child.pid!)).toBe(true);
  });
});
