import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pty from 'node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnerBinary } from '../../../scripts/build-pty-spawner.js';
import { isDead, waitUntil } from '../helpers.js';

/**
 * photon-pty-spawner spoken to directly, as the pty host speaks to it (pty-spawner-client.js):
 * requests of NUL-separated strings with counts, reports of fixed fields. What the host relies on:
 * a bad request costs that request only, its own descriptors never reach a program, and it ends
 * with its input.
 */
interface Report {
  type: string;
  id: number;
  a: number;
  b: number;
  text: string;
}

/** node-pty's native module (openpty), which the host opens terminals with. */
interface NativePty {
  open(cols: number, rows: number): { master: number; slave: number; pty: string };
}
const native = (pty as unknown as { native: NativePty }).native;
const running: ChildProcess[] = [];
const fds: number[] = [];

/** Starts the spawner as the host does, or through `through` (a command that ends by exec'ing the spawner, its last argument). */
function startSpawner(stdio: ('pipe' | 'inherit' | number)[] = ['pipe', 'pipe', 'inherit'], through: string[] = []) {
  const [file, ...args] = [...through, spawnerBinary];
  const child = spawn(file!, args, { stdio });
  running.push(child);
  const reports: Report[] = [];
  let pending = Buffer.alloc(0);
  child.stdout!.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length - 4 >= pending.readUInt32BE(0)) {
      const length = pending.readUInt32BE(0);
      reports.push({ type: String.fromCharCode(pending[4]!), id: pending.readUInt32BE(5), a: pending.readInt32BE(9), b: pending.readInt32BE(13), text: pending.toString('utf8', 17, 4 + length) });
      pending = pending.subarray(4 + length);
    }
  });
  const reportFor = async (id: number, type: string) => {
    await waitUntil(() => reports.some((r) => r.id === id && r.type === type), `report ${type} for request ${id}`);
    return reports.find((r) => r.id === id && r.type === type)!;
  };
  return { child, reports, reportFor };
}

/** A request as the host frames it; `counts` overrides the counts it declares (to send a malformed one). */
function request(id: number, strings: string[], argc: number, envc: number): Buffer {
  const text = Buffer.from(`${strings.join('\0')}\0`);
  const head = Buffer.alloc(16);
  head.writeUInt32BE(12 + text.length, 0);
  head.writeUInt32BE(id, 4);
  head.writeUInt32BE(argc, 8);
  head.writeUInt32BE(envc, 12);
  return Buffer.concat([head, text]);
}

function openTerminal() {
  const opened = native.open(80, 24);
  fds.push(opened.master, opened.slave);
  return opened;
}

/** Whether a process is blocked in nanosleep (its wchan names it where the kernel shows wchan). */
function inItsSleep(pid: number): boolean {
  const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
  const wchan = readFileSync(`/proc/${pid}/wchan`, 'utf8');
  return state === 'S' && (wchan.includes('nanosleep') || wchan === '0');
}

afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
  for (const fd of fds.splice(0)) closeSync(fd);
});

describe.runIf(process.platform === 'linux' && existsSync(spawnerBinary))('the pty spawner protocol', () => {
  it('answers --protocol with its version, and refuses other arguments saying how it is run', async () => {
    const answer = await new Promise<string>((resolve) => {
      const child = spawn(spawnerBinary, ['--protocol']);
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('close', () => resolve(out));
    });
    expect(answer).toBe('2\n');
    const refused = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(spawnerBinary, ['--help']);
      let err = '';
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('close', (code) => resolve({ code, err }));
    });
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/usage: .*photon-pty-spawner \[--protocol \| --host\]/);
  });

  it('reports a malformed request as failed and goes on serving the next one', async () => {
    const { child, reportFor } = startSpawner();
    const terminal = openTerminal();
    const env = [`PATH=${process.env.PATH}`];
    // No argv at all; more strings counted than sent; more strings sent than counted.
    child.stdin!.write(request(1, [terminal.pty, tmpdir(), '/bin/true'], 0, 0));
    child.stdin!.write(request(2, [terminal.pty, tmpdir(), '/bin/true', '/bin/true'], 1, 3));
    child.stdin!.write(request(3, [terminal.pty, tmpdir(), '/bin/true', '/bin/true', 'extra'], 1, 0));
    child.stdin!.write(request(4, [terminal.pty, tmpdir(), '/bin/sh', 'sh', '-c', 'exit 5', ...env], 3, env.length));
    for (const id of [1, 2, 3]) expect(await reportFor(id, 'F')).toMatchObject({ a: 1, text: 'Invalid argument' });
    const spawned = await reportFor(4, 'S');
    expect(await reportFor(4, 'X')).toMatchObject({ a: 5, b: 0 });
    expect(isDead(spawned.a)).toBe(true);
  });

  it('holds none of the descriptors it was started with, and gives a program none of its own', async () => {
    // Started as the host starts it while terminals are open: their masters are inheritable.
    const terminal = openTerminal();
    const extra = openSync(join(tmpdir(), 'photon-spawner-fd-test'), 'w');
    fds.push(extra);
    const { child, reportFor } = startSpawner(['pipe', 'pipe', 'inherit', terminal.master, extra]);
    await waitUntil(() => readdirSync(`/proc/${child.pid}/fd`).length <= 5, 'the spawner to close what it inherited');
    const own = readdirSync(`/proc/${child.pid}/fd`).map(Number).filter((fd) => fd > 2);
    expect(own.map((fd) => readlinkSync(`/proc/${child.pid}/fd/${fd}`))).toEqual(own.map(() => expect.stringMatching(/^pipe:/)));
    for (const fd of own) {
      const flags = Number.parseInt(/flags:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/fdinfo/${fd}`, 'utf8'))![1]!, 8);
      expect(flags & 0o2000000, `fd ${fd} is close-on-exec`).not.toBe(0);
    }
    const env = [`PATH=${process.env.PATH}`];
    child.stdin!.write(request(1, [openTerminal().pty, tmpdir(), 'sleep', 'sleep', '30', ...env], 2, 1));
    const program = (await reportFor(1, 'S')).a;
    // Read only once the program is in its sleep. Right after 'S' its exec may not yet have closed the
    // close-on-exec descriptors (a vfork parent wakes just before that), and then its dynamic loader
    // opens fd 3 for a moment for each library: both were seen in CI as a fourth descriptor.
    await waitUntil(() => inItsSleep(program), 'the program to reach its sleep');
    expect(readdirSync(`/proc/${program}/fd`).map(Number).sort((a, b) => a - b)).toEqual([0, 1, 2]);
  });

  it('learns that a program has started without waiting on a pipe for it: three reads a program, its request and its SIGCHLD wake-up', async () => {
    // It waited for the exec on a close-on-exec pipe; the pipe's close woke it on the exec'ing
    // program's own processor, so that the start was mostly reported with the end (one read more
    // a program). Now it sleeps in vfork until the exec. Counted per thread: the process's own
    // /proc/PID/io counts its reaped programs' reads too.
    const { child, reportFor } = startSpawner();
    const reads = () => Number(/^syscr: (\d+)$/m.exec(readFileSync(`/proc/${child.pid}/task/${child.pid}/io`, 'utf8'))![1]);
    const env = [`PATH=${process.env.PATH}`];
    const programs = 20;
    let before = 0;
    for (let id = 0; id <= programs; id++) {
      child.stdin!.write(request(id, [openTerminal().pty, tmpdir(), '/bin/true', '/bin/true', ...env], 1, env.length));
      expect(await reportFor(id, 'X')).toMatchObject({ a: 0, b: 0 });
      if (id === 0) before = reads(); // The first after its start-up.
    }
    // Each: the request, the wake-up byte, and the read that finds the wake-up pipe empty.
    expect(reads() - before).toBeLessThanOrEqual(3 * programs);
  });

  it('starts a program with every signal at its default, also those the spawner was started ignoring', async () => {
    // The child resets only what is not the default in the spawner: what it set itself, and what
    // it inherited ignored (as a shell's `trap ''` leaves it, across the exec), which no program of
    // the user's asked for.
    const { child, reportFor } = startSpawner(['pipe', 'pipe', 'inherit'], ['/bin/bash', '-c', 'trap "" USR1 QUIT TERM 40; exec "$0"']);
    const ignoredBy = (pid: number) => BigInt(`0x${/^SigIgn:\s+([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]}`);
    const bit = (signal: number) => 1n << BigInt(signal - 1);
    // Exec'd, and past its own start (it ignores SIGPIPE then): seen between the two, SIGPIPE was not ignored yet.
    await waitUntil(() => readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').startsWith(spawnerBinary) && (ignoredBy(child.pid!) & bit(13)) !== 0n, "the spawner to be exec'd and started");
    expect(ignoredBy(child.pid!) & (bit(10) | bit(3) | bit(15) | bit(40) | bit(13))).toBe(bit(10) | bit(3) | bit(15) | bit(40) | bit(13));
    const env = [`PATH=${process.env.PATH}`];
    child.stdin!.write(request(1, [openTerminal().pty, tmpdir(), 'sleep', 'sleep', '30', ...env], 2, 1));
    const program = (await reportFor(1, 'S')).a;
    expect(ignoredBy(program)).toBe(0n);
    process.kill(program, 'SIGKILL');
  });

  it('ends when its input closes, leaving what it started running', async () => {
    const { child, reportFor } = startSpawner();
    const env = [`PATH=${process.env.PATH}`];
    child.stdin!.write(request(1, [openTerminal().pty, tmpdir(), 'sleep', 'sleep', '30', ...env], 2, 1));
    const program = (await reportFor(1, 'S')).a;
    const ended = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.stdin!.end();
    expect(await ended).toBe(0);
    expect(isDead(program)).toBe(false);
    process.kill(program, 'SIGKILL');
  });
});
