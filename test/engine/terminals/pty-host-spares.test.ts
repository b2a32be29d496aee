/**
 * The pty host in C opens the next terminal's pty ahead, once a terminal's exit is reported, so a
 * step of a chain starts with a fork alone. What a program must not notice: the pty it gets was
 * opened before it asked, at another size. What must not be left: ptys of ended terminals, or a
 * spare pty in a host that has nothing to start. The real host, spoken to directly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { environmentFrame, ptySpawnerPath, spawnFrame } from '../../../electron/engine/terminals/pty-host.js';
import { waitUntil } from '../helpers.js';

const env = { ...(process.env as Record<string, string>), TERM: 'xterm-256color', LC_ALL: 'C.UTF-8' };
const hosts: ChildProcess[] = [];

afterEach(() => {
  for (const host of hosts.splice(0)) host.kill('SIGKILL');
});

/** The host in C, and what it reports per terminal: its output and its exit code. */
function startHost() {
  const host = spawn(ptySpawnerPath()!, ['--host'], { stdio: ['pipe', 'pipe', 'inherit'] });
  hosts.push(host);
  const output = new Map<number, string>();
  const exits = new Map<number, number>();
  let pending = Buffer.alloc(0);
  host.stdout!.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 9 && pending.length - 4 >= pending.readUInt32BE(0)) {
      const length = pending.readUInt32BE(0);
      const id = pending.readUInt32BE(5);
      if (pending[4] === 2) output.set(id, (output.get(id) ?? '') + pending.toString('utf8', 9, 4 + length));
      if (pending[4] === 3) exits.set(id, pending.readInt32BE(9));
      if (pending[4] === 4) exits.set(id, -1);
      pending = pending.subarray(4 + length);
    }
  });
  host.stdin!.write(environmentFrame(env));
  let nextId = 1;
  /** Runs `script` in a terminal of `cols` x `rows` and resolves with its output once it has exited. */
  const run = async (script: string, cols = 80, rows = 24) => {
    const id = nextId++;
    host.stdin!.write(spawnFrame(id, { file: '/bin/bash', args: ['-c', script], cwd: tmpdir(), env, cols, rows }, { set: {}, unset: [] }));
    await waitUntil(() => exits.has(id), `terminal ${id} to exit`);
    expect(exits.get(id)).toBe(0);
    return output.get(id) ?? '';
  };
  return { pid: host.pid!, run };
}

/** The ptys the process holds, as its descriptors name them: masters (/dev/ptmx) and far sides (/dev/pts/N). */
function ptysHeld(pid: number): string[] {
  const held: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (target.startsWith('/dev/pts/') || target === '/dev/ptmx') held.push(target);
    } catch {
      // Closed while the folder was read.
    }
  }
  return held.sort();
}

describe.runIf(process.platform === 'linux' && ptySpawnerPath() !== undefined)("the pty host's ptys opened ahead", () => {
  it('gives the next terminal a pty opened ahead, at the size it asks and set as a new one', async () => {
    const host = startHost();
    const first = await host.run('stty -g; stty size; tty', 100, 40);
    // Between terminals: one spare, its master and its far side, and nothing of the ended terminal.
    await waitUntil(() => ptysHeld(host.pid).length === 2, 'a spare pty after the exit');
    const spare = ptysHeld(host.pid);
    expect(spare).toContain('/dev/ptmx');
    const farSide = spare.find((path) => path.startsWith('/dev/pts/'))!;
    expect(farSide).toBeDefined();
    const second = await host.run('stty -g; stty size; tty', 90, 33);
    expect(second).toContain(`${farSide}\r\n`);
    expect(second).toContain('\r\n33 90\r\n');
    expect(first).toContain('\r\n40 100\r\n');
    // The same settings as on a pty opened for the request, but for its size and name.
    const settings = (text: string) => text.split('\r\n')[0];
    expect(settings(second)).toMatch(/^[0-9a-f:]{40,}$/);
    expect(settings(second)).toBe(settings(first));
  });

  it('keeps one spare through a chain of terminals, and none once no terminal has run for a while', async () => {
    const host = startHost();
    expect(ptysHeld(host.pid)).toEqual([]);
    for (let i = 0; i < 20; i++) {
      await host.run('true');
      expect(ptysHeld(host.pid).length).toBeLessThanOrEqual(2);
    }
    await waitUntil(() => ptysHeld(host.pid).length === 0, 'the idle host to close its spare pty', 10_000);
    // Starting again opens a pty as before, and a spare after it.
    expect(await host.run('tty')).toMatch(/^\/dev\/pts\/\d+\r\n$/);
    await waitUntil(() => ptysHeld(host.pid).length === 2, 'a spare after the next exit');
  });
});
