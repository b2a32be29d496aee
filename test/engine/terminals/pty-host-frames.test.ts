/**
 * What a terminal's output costs on its way from the pty host to the engine: the host reads a
 * flood 4 KB at a time (the pty's line discipline), and each frame it sends costs both processes
 * a system call and a wake-up, and the engine a dispatch and a decoding. Real ptys, the real host.
 */
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { describe, expect, it, vi } from 'vitest';
import { ptyHost } from '../../../electron/engine/terminals/pty-host.js';

const env = { ...(process.env as Record<string, string>), TERM: 'xterm-256color', LC_ALL: 'C.UTF-8' };

interface Received {
  /** Calls of the engine's side with output. */
  frames: number;
  text: string;
  exitCode: number;
  ms: number;
}

/** Runs `script` in a terminal of the host and collects what the engine's side hears. */
function run(script: string): Promise<Received> {
  const started = performance.now();
  const received: Received = { frames: 0, text: '', exitCode: -1, ms: 0 };
  const parts: string[] = [];
  return new Promise((resolve, reject) => {
    ptyHost().spawn(
      { file: '/bin/bash', args: ['-c', script], cwd: tmpdir(), env, cols: 120, rows: 30 },
      {
        spawned: () => {},
        data: (text) => {
          received.frames++;
          parts.push(text);
        },
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
    const bytes = 16 * 1024 * 1024;
    const { frames, text, ms } = await run(`head -c ${bytes} /dev/zero | tr '\\0' x`);
    expect(text.length).toBe(bytes);
    // The host sends at most one frame per 2 ms, or sooner once it holds 64 KB (each such frame
    // carries at least 60 KB: a read is at most 4 KB); the engine's reads of the pipe may cut a
    // frame in two deliveries. At a frame per read this flood took 4,096 deliveries, over the
    // bound unless the flood ran under 5 MB/s.
    const bound = 2 * (1 + ms / 2 + bytes / 60_000);
    expect(frames, `${frames} deliveries for 16 MB in ${ms.toFixed(0)} ms (${(frames / 16).toFixed(0)} per MB)`).toBeLessThanOrEqual(bound);
  }, 120_000);

  it('carry the bytes as read, decoded once in the engine as their pieces come, never joined into copies first', async () => {
    // A 64 KB frame comes in two or more of the engine's pipe reads; joining the pieces before
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
