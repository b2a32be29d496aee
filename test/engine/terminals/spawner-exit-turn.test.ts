/**
 * How soon the pty host hears that a program ended: in a chain of steps, every link waits from
 * one program's end to the engine hearing of it. The spawner's report of the exit is where the
 * host learns it; everything the program wrote must still come first. The host's terminals
 * (pty-spawner-client.js) driven in this process, with the real spawner, real ptys and real programs.
 */
import { fstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import tty from 'node:tty';
import pty from 'node-pty';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ptySpawnerPath } from '../../../electron/engine/terminals/pty-host.js';
// @ts-expect-error: plain JavaScript (the pty host's), without declarations.
import { Spawner } from '../../../electron/engine/terminals/pty-spawner-client.js';

interface Seen {
  order: string[];
  output: string;
  /** `order` as it stood when the exit was reported. */
  orderAtExit?: string[];
  exit?: { exitCode: number; signal: number };
  /** Whether the terminal's master was still open when its exit was reported. */
  masterOpenAtExit?: boolean;
}

const env = { ...(process.env as Record<string, string>), TERM: 'xterm-256color', LC_ALL: 'C.UTF-8' };

afterEach(() => vi.restoreAllMocks());

/** Starts `script` through `spawner`, recording what its stream did and when its exit came. */
function run(spawner: { spawn(request: object, events: object): unknown }, script: string): Promise<Seen> {
  const seen: Seen = { order: [], output: '' };
  let master: number | undefined;
  const native = (pty as unknown as { native: { open(cols: number, rows: number): { master: number; slave: number; pty: string } } }).native;
  const open = native.open.bind(native);
  const openSpy = vi.spyOn(native, 'open').mockImplementation((cols: number, rows: number) => {
    const opened = open(cols, rows);
    master = opened.master;
    return opened;
  });
  // Every terminal's stream, so what it reported before the exit can be told.
  const Stream = tty.ReadStream;
  const streamSpy = vi.spyOn(tty, 'ReadStream').mockImplementation(function (fd: number) {
    const stream = new Stream(fd);
    stream.on('end', () => seen.order.push('stream end'));
    stream.on('error', (error: NodeJS.ErrnoException) => seen.order.push(`stream error ${error.code}`));
    return stream;
  } as unknown as () => tty.ReadStream);
  return new Promise((resolve, reject) => {
    spawner.spawn(
      { file: '/bin/bash', args: ['-c', script], cwd: tmpdir(), env, cols: 120, rows: 30 },
      {
        spawned: () => seen.order.push('spawned'),
        data: (chunk: Buffer) => void (seen.output += chunk.toString('utf8')),
        exit: (exitCode: number, signal: number) => {
          seen.order.push('exit');
          seen.orderAtExit = [...seen.order];
          seen.exit = { exitCode, signal };
          try {
            fstatSync(master!);
            seen.masterOpenAtExit = true;
          } catch {
            seen.masterOpenAtExit = false;
          }
          openSpy.mockRestore();
          streamSpy.mockRestore();
          resolve(seen);
        },
        failed: (message: string) => reject(new Error(message)),
      },
    );
  });
}

describe.runIf(process.platform === 'linux' && ptySpawnerPath({}) !== undefined)("a program's exit through photon-pty-spawner", () => {
  it('is reported in the turn the spawner reports it, after all of its output, before its master is closed', async () => {
    const spawner = new Spawner(ptySpawnerPath({})!);
    // Output enough to still be in the kernel's pty buffers when the program ends.
    const lines = 2000;
    for (let i = 0; i < 5; i++) {
      const seen = await run(spawner, `seq 1 ${lines}; exit 3`);
      expect(seen.exit).toEqual({ exitCode: 3, signal: 0 });
      expect(seen.output.trimEnd().split('\r\n')).toHaveLength(lines);
      expect(seen.output.trimEnd().endsWith(`\r\n${lines}`)).toBe(true);
      // The master was read to its end at the spawner's report: no turn of the host's loop waited
      // for the stream to see the hang-up (an error object with its stack each time), and the
      // report did not wait for the pty's close either.
      expect(seen.orderAtExit).toEqual(['spawned', 'exit']);
      expect(seen.masterOpenAtExit).toBe(true);
    }
  });

  it('still waits for the output to end while a job the program left holds its terminal', async () => {
    const spawner = new Spawner(ptySpawnerPath({})!);
    // Immune to the hang-up its shell's end sends it (ignored before the fork, so from its first
    // moment), and done well within the grace the host gives such jobs.
    const seen = await run(spawner, 'trap "" HUP; (sleep 0.05; echo late) & echo early');
    expect(seen.output).toContain('early');
    expect(seen.output).toContain('late');
    expect(seen.exit).toEqual({ exitCode: 0, signal: 0 });
  });
});
