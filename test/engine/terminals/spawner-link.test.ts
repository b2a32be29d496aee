/**
 * A link of a chain of steps as the pty host's terminals (pty-spawner-client.js) live it: the
 * engine's request, the pty, the spawner's fork; the program's end, its output read, the exit
 * reported. Every link waits on the host twice: from the request to the fork, and from the
 * program's end to the engine hearing of it; everything the program wrote must still come first.
 * The host's terminals driven in this process, with the real spawner, real ptys and real programs.
 */
import net from 'node:net';
import { tmpdir } from 'node:os';
import tty from 'node:tty';
import pty from 'node-pty';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ptySpawnerPath } from '../../../electron/engine/terminals/pty-host.js';
import { bothReportsSpawner } from './both-reports-spawner.js';
// @ts-expect-error: plain JavaScript (the pty host's), without declarations.
import { Spawner } from '../../../electron/engine/terminals/pty-spawner-client.js';

interface Opened {
  master: number;
  slave: number;
  pty: string;
}

interface Seen {
  output: string;
  exit: { exitCode: number; signal: number };
  /** What the terminal's stream said (end, error) before the exit was reported. */
  streamBeforeExit: string[];
}

const env = { ...(process.env as Record<string, string>), TERM: 'xterm-256color', LC_ALL: 'C.UTF-8' };
const native = (pty as unknown as { native: { open(cols: number, rows: number): Opened } }).native;

afterEach(() => vi.restoreAllMocks());

/**
 * Watches the host's side of the terminals: `log` holds, in order, every pty opened, every stream
 * made on a master and every request written to the spawner (with the far side it names).
 */
function watch() {
  const log: string[] = [];
  const masters = new Map<string, number>();
  const streamEvents = new Map<number, string[]>();
  const open = native.open.bind(native);
  vi.spyOn(native, 'open').mockImplementation((cols: number, rows: number) => {
    const opened = open(cols, rows);
    masters.set(opened.pty, opened.master);
    log.push('open');
    return opened;
  });
  const Stream = tty.ReadStream;
  vi.spyOn(tty, 'ReadStream').mockImplementation(function (fd: number) {
    const stream = new Stream(fd);
    const events: string[] = [];
    streamEvents.set(fd, events);
    stream.on('end', () => events.push('end'));
    stream.on('error', (error: NodeJS.ErrnoException) => events.push(`error ${error.code}`));
    log.push('stream');
    return stream;
  } as unknown as () => tty.ReadStream);
  const write = net.Socket.prototype.write;
  vi.spyOn(net.Socket.prototype, 'write').mockImplementation(function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
    const far = Buffer.isBuffer(chunk) ? /\/dev\/pts\/\d+/.exec(chunk.toString('latin1')) : null;
    if (far) log.push(`request ${far[0]}`);
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  });

  /** Starts `script` through `spawner` and waits for its exit. */
  function run(spawner: { spawn(request: object, events: object): unknown }, script: string, size = { cols: 120, rows: 30 }): Promise<Seen> {
    return new Promise((resolve, reject) => {
      let output = '';
      spawner.spawn(
        { file: '/bin/bash', args: ['-c', script], cwd: tmpdir(), env, ...size },
        {
          spawned: () => log.push('spawned'),
          data: (chunk: Buffer) => void (output += chunk.toString('utf8')),
          exit: (exitCode: number, signal: number) => {
            log.push('exit');
            resolve({ output, exit: { exitCode, signal }, streamBeforeExit: [...(streamEvents.get(master!) ?? [])] });
          },
          failed: (message: string) => reject(new Error(message)),
        },
      );
      // The terminal's pty is the one its request named.
      const far = log.findLast((entry) => entry.startsWith('request '))!.slice('request '.length);
      const master = masters.get(far);
    });
  }

  return { log, run };
}

describe.runIf(process.platform === 'linux' && ptySpawnerPath({}) !== undefined)('a chain link through photon-pty-spawner', () => {
  it("reports a program's exit in the turn the spawner reports it, after all of its output", async () => {
    const { run } = watch();
    const spawner = new Spawner(ptySpawnerPath({})!);
    // Output enough to still be in the kernel's pty buffers when the program ends.
    const lines = 2000;
    for (let i = 0; i < 5; i++) {
      const seen = await run(spawner, `seq 1 ${lines}; exit 3`);
      expect(seen.exit).toEqual({ exitCode: 3, signal: 0 });
      expect(seen.output.trimEnd().split('\r\n')).toHaveLength(lines);
      expect(seen.output.trimEnd().endsWith(`\r\n${lines}`)).toBe(true);
      // The master was read to its end at the spawner's report: no turn of the host's loop waited
      // for the stream to see the hang-up (an error object with its stack each time).
      expect(seen.streamBeforeExit).toEqual([]);
    }
  });

  it('still waits for the output to end while a job the program left holds its terminal', async () => {
    const { run } = watch();
    const spawner = new Spawner(ptySpawnerPath({})!);
    // Immune to the hang-up its shell's end sends it (ignored before the fork, so from its first
    // moment), and done well within the grace the host gives such jobs.
    const seen = await run(spawner, 'trap "" HUP; (sleep 0.05; echo late) & echo early');
    expect(seen.output).toContain('early');
    expect(seen.output).toContain('late');
    expect(seen.exit).toEqual({ exitCode: 0, signal: 0 });
  });

  it("sends a request to the spawner without opening a pty or making a stream first: the next terminal's are made while a program runs", async () => {
    const { log, run } = watch();
    const spawner = new Spawner(ptySpawnerPath({})!);
    const requests = 5;
    const starts: number[] = [];
    for (let i = 0; i < requests; i++) {
      starts.push(log.length);
      expect((await run(spawner, 'true')).exit).toEqual({ exitCode: 0, signal: 0 });
    }
    // The first request opens its own pty; each after it takes the one made ahead. None is made
    // between a request and its program's start either: the spawner may be waiting for the host's
    // processor to fork (a pipe's reader, woken, waits for its writer's when the others are busy).
    for (const start of starts.slice(1)) {
      const untilStarted = log.slice(start, log.indexOf('spawned', start));
      expect(untilStarted, log.join(', ')).toEqual([expect.stringMatching(/^request /)]);
    }
    // And no more of them than before: one pty and one stream a terminal, and one spare.
    expect(log.filter((entry) => entry === 'open')).toHaveLength(requests + 1);
    expect(log.filter((entry) => entry === 'stream')).toHaveLength(requests + 1);
  });

  it("reports an exit read together with its program's start before making the next terminal's pty", async () => {
    // The spawner, kept off a processor while its program runs, may report the start and the end
    // in one write. This one always does.
    const fake = bothReportsSpawner();
    try {
      const { log, run } = watch();
      const spawner = new Spawner(fake.path);
      expect((await run(spawner, 'true')).exit).toEqual({ exitCode: 7, signal: 0 });
      expect(log.slice(log.indexOf('spawned'))).toEqual(['spawned', 'exit', 'open', 'stream']);
    } finally {
      fake.remove();
    }
  });

  it('gives a terminal started on a pty made ahead the size it asked for', async () => {
    const { run } = watch();
    const spawner = new Spawner(ptySpawnerPath({})!);
    expect((await run(spawner, 'stty size')).output.trim()).toBe('30 120');
    expect((await run(spawner, 'stty size', { cols: 80, rows: 24 })).output.trim()).toBe('24 80');
    expect((await run(spawner, 'stty size', { cols: 80, rows: 24 })).output.trim()).toBe('24 80');
  });
});
