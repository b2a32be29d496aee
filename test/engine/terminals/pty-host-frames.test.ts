/**
 * What a terminal's output costs on its way from the pty host to the engine: the host reads a
 * flood 4 KB at a time (the pty's line discipline), and each frame it sends costs both processes
 * a system call and a wake-up, and the engine a dispatch and a decoding. Real ptys, the real host.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it, vi } from 'vitest';
import { environmentFrame, ptyHost, ptyHostPid, ptySpawnerPath, spawnFrame } from '../../../electron/engine/terminals/pty-host.js';
import { repoRoot } from '../helpers.js';
import { bothReportsSpawner } from './both-reports-spawner.js';

const env = { ...(process.env as Record<string, string>), TERM: 'xterm-256color', LC_ALL: 'C.UTF-8' };

interface Received {
  text: string;
  exitCode: number;
  ms: number;
}

/**
 * The write system calls a process's threads have made (Linux). Per thread: the process's own
 * /proc/PID/io also counts the children it has reaped, here the flood's programs.
 */
function writeCalls(pid: number, mainThreadOnly = false): number {
  let calls = 0;
  for (const thread of mainThreadOnly ? [String(pid)] : readdirSync(`/proc/${pid}/task`)) calls += Number(/^syscw: (\d+)$/m.exec(readFileSync(`/proc/${pid}/task/${thread}/io`, 'utf8'))![1]);
  return calls;
}

/** Runs `script` in a terminal of the host and collects what the engine's side hears. */
function run(script: string): Promise<Received> {
  const started = performance.now();
  const received: Received = { text: '', exitCode: -1, ms: 0 };
  const parts: string[] = [];
  return new Promise((resolve, reject) => {
    ptyHost().spawn(
      { file: '/bin/bash', args: ['-c', script], cwd: tmpdir(), env, cols: 120, rows: 30 },
      {
        spawned: () => {},
        data: (text) => void parts.push(text),
        exited: (exitCode) => {
          received.exitCode = exitCode;
          received.ms = performance.now() - started;
          // Output that came after the exit is dropped by the engine's side: it counts as lost.
          resolve(Object.assign(received, { text: parts.join('') }));
        },
        failed: (message) => reject(new Error(message)),
      },
    );
  });
}

describe("the pty host's frames to the engine", () => {
  it('carry a flood many reads at a time, not a frame per 4 KB read', async () => {
    await run('true'); // The host is up before its writes are counted.
    const host = ptyHostPid()!;
    const before = writeCalls(host);
    const bytes = 16 * 1024 * 1024;
    const { text, ms } = await run(`head -c ${bytes} /dev/zero | tr '\\0' x`);
    const writes = writeCalls(host) - before;
    expect(text.length).toBe(bytes);
    // The host writes a frame at most every 2 ms, or sooner once it holds 32 KB, each in one write
    // (counted per 12 KB: a full pipe may take one in two), and two more for the start and the
    // exit. At a frame per read (4 KB, now and then more) this flood took about 3,400 writes, over
    // the bound unless it ran under 4 MB/s.
    const bound = 3 + ms / 2 + bytes / 12_000;
    expect(writes, `${writes} writes for 16 MB in ${ms.toFixed(0)} ms (${(writes / 16).toFixed(0)} per MB)`).toBeLessThanOrEqual(bound);
  }, 120_000);

  it('carry the bytes as read, decoded once in the engine as their pieces come, never joined into copies first', async () => {
    // A frame may come in two of the engine's pipe reads; joining the pieces before
    // decoding copied most of a flood once more, held until the next garbage collection. Lines of
    // euro signs (3 bytes each): frames and reads cut them anywhere, and a host that sent text
    // (decoded and encoded again) would count characters where the protocol counts bytes.
    const line = `${'€'.repeat(25)}\r\n`;
    const lines = 100_000;
    const concat = vi.spyOn(Buffer, 'concat');
    try {
      const { text } = await run(`yes '${'€'.repeat(25)}' | head -n ${lines}`);
      expect(text.length).toBe(line.length * lines);
      expect(text === line.repeat(lines)).toBe(true);
      const bytes = Buffer.byteLength(text);
      const joined = concat.mock.results.reduce((sum, result) => sum + (result.value as Buffer).length, 0);
      expect(joined, `${joined} bytes joined by Buffer.concat during a flood of ${bytes} bytes`).toBeLessThan(bytes / 100);
    } finally {
      concat.mockRestore();
    }
  }, 120_000);

  it.skipIf(ptySpawnerPath() === undefined)('gather a flood into frames of up to 32 KB in the host in C, not 16', async () => {
    // Each frame is a write of the host and a read and a wake-up of the engine. Up to 32 KB
    // gathered over 2 ms: a flood faster than 8 MB/s for any 2 ms fills more than 16 KB.
    const host = spawn(ptySpawnerPath()!, ['--host'], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const sizes: number[] = [];
      let pending = Buffer.alloc(0);
      const exited = new Promise<void>((resolve) => {
        host.stdout!.on('data', (chunk: Buffer) => {
          pending = Buffer.concat([pending, chunk]);
          while (pending.length >= 9 && pending.length - 4 >= pending.readUInt32BE(0)) {
            const length = pending.readUInt32BE(0);
            if (pending[4] === 2) sizes.push(length - 5);
            if (pending[4] === 3 || pending[4] === 4) resolve();
            pending = pending.subarray(4 + length);
          }
        });
      });
      host.stdin!.write(environmentFrame(env));
      const script = `head -c ${16 * 1024 * 1024} /dev/zero | tr '\\0' x`;
      host.stdin!.write(spawnFrame(1, { file: '/bin/bash', args: ['-c', script], cwd: tmpdir(), env, cols: 120, rows: 30 }, { set: {}, unset: [] }));
      await exited;
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(16 * 1024 * 1024);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(32 * 1024);
      expect(Math.max(...sizes), `the largest of ${sizes.length} frames`).toBeGreaterThan(16 * 1024);
    } finally {
      host.kill('SIGKILL');
    }
  }, 120_000);

  it("carry a program's start and its exit in one write when the spawner reports them together", async () => {
    // On a loaded machine the spawner often gets no processor until its program has ended, and
    // reports its start and end at once: the host's two frames then wake the engine once.
    const fake = bothReportsSpawner(4);
    const host = spawn(process.execPath, [join(repoRoot, 'electron/engine/terminals/pty-host-main.js'), fake.path], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const types: number[] = [];
      let pending = Buffer.alloc(0);
      let waiting: (() => void) | undefined;
      host.stdout!.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 9 && pending.length - 4 >= pending.readUInt32BE(0)) {
          types.push(pending[4]!);
          pending = pending.subarray(4 + pending.readUInt32BE(0));
        }
        waiting?.();
      });
      const reported = (count: number) => new Promise<void>((resolve) => (waiting = () => types.length >= count && resolve()));
      const request = { file: '/bin/true', args: [], cwd: tmpdir(), env: {}, cols: 80, rows: 24 };
      const spawnRequest = (id: number) => spawnFrame(id, request, { set: {}, unset: [] });
      host.stdin!.write(environmentFrame(env));
      let done = reported(2);
      host.stdin!.write(spawnRequest(1)); // Starts the host's spawner before writes are counted.
      await done;
      const before = writeCalls(host.pid!, true);
      done = reported(4);
      host.stdin!.write(spawnRequest(2));
      await done;
      expect(types).toEqual([1, 3, 1, 3]);
      // The request to the spawner, and one for both frames to the engine.
      expect(writeCalls(host.pid!, true) - before).toBe(2);
    } finally {
      host.kill('SIGKILL');
      fake.remove();
    }
  });

  it("hold nothing back at a process's end: all its output arrives before its exit", async () => {
    // Printed just before the exit, so the end of it waits in the host for the next frame's time.
    for (let trial = 0; trial < 5; trial++) {
      const { text, exitCode } = await run(`head -c 300000 /dev/zero | tr '\\0' y; printf 'end ${trial}'; exit 3`);
      expect(exitCode).toBe(3);
      expect(text.length).toBe(300_000 + `end ${trial}`.length);
      expect(text.endsWith(`end ${trial}`)).toBe(true);
    }
  }, 120_000);
});
