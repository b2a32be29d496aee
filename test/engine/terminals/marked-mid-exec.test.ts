import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { markedProcesses, pidWindowFrom } from '../../../electron/engine/terminals/marked-processes.js';
import { isDead, waitUntil } from '../helpers.js';

/**
 * A process caught in the middle of an exec reads as having no environment: between the memory it
 * leaves and the new program's, /proc/PID/environ is empty. A CI run cancelled a step just as a
 * process it had put out of its session exec'd `sleep`; the search missed it, and it outlived the
 * run. Here the first read of that process's environment is made empty, as the exec would make it.
 */
const caughtMidExec = vi.hoisted(() => ({ pid: 0, reads: 0 }));
const seen = vi.hoisted(() => (pid: number) => (pid === caughtMidExec.pid && caughtMidExec.reads++ === 0 ? Buffer.alloc(0) : undefined));
vi.mock('node:fs', async (importOriginal) => (await import('./environ-reads.js')).fsSeeingEnviron(await importOriginal(), seen));
vi.mock('node:fs/promises', async (importOriginal) => (await import('./environ-reads.js')).fsPromisesSeeingEnviron(await importOriginal(), seen));

const marks = { PHOTON_RUN_ID: `mid-exec-${process.pid}`, PHOTON_STEP: '1', PHOTON_ATTEMPT: '1' };
let child: ChildProcess | undefined;

afterEach(() => {
  if (child?.pid !== undefined && !isDead(child.pid)) process.kill(child.pid, 'SIGKILL');
  caughtMidExec.reads = 0;
});

describe.runIf(process.platform === 'linux')('a marked process caught mid-exec', () => {
  for (const [where, window] of [
    ['in a step\'s pid window', true],
    ['on the whole machine', false],
  ] as const) {
    it(`is found ${where} once its exec is through`, async () => {
      const first = pidWindowFrom(Number(readFileSync('/proc/loadavg', 'utf8').split(/\s+/)[4]) + 1);
      child = spawn('sleep', ['300'], { env: { ...process.env, ...marks }, detached: true, stdio: 'ignore' });
      const pid = child.pid!;
      await waitUntil(() => !isDead(pid) && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep', 'sleep to be exec\'d');
      caughtMidExec.pid = pid;
      expect(await markedProcesses(marks, window ? first : undefined)).toEqual([pid]);
      // It was read twice: empty, as mid-exec, then with its marks.
      expect(caughtMidExec.reads).toBe(2);
    });
  }
});
