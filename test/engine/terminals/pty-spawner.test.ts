import { spawn } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { TerminalManager } from '../../../electron/engine/terminals/index.js';
import { environmentFrame, ptyHostPid, ptySpawnerPath, spawnFrame } from '../../../electron/engine/terminals/pty-host.js';
import { spawnerBinary } from '../../../scripts/build-pty-spawner.js';
import { isDead, makeTempDir, removeDir, repoRoot, waitUntil } from '../helpers.js';
import { hostOf, isHostInC, spawnerOf } from './spawner-parent.js';
import { ptyStarter, testEnv } from './started-ptys.js';

/**
 * On Linux and macOS each program starts through photon-pty-spawner, a small C process
 * (electron/engine/terminals/pty-spawner/): by default it is the pty host itself (`--host`), which
 * opens the pty, forks and execs on its far side; under the Node host (PHOTON_PTY_HOST=node) the
 * host opens the pty and the spawner forks and execs. Everything a program could tell about its terminal must be as node-pty
 * made it, and what goes wrong must be said clearly.
 */
const env = testEnv;
const start = ptyStarter();

describe.runIf(process.platform === 'linux' && process.env.PHOTON_PTY_SPAWNER !== 'node-pty')('photon-pty-spawner', () => {
  it('is built here, and starts every program as a child of one spawner of the pty host', async () => {
    expect(ptySpawnerPath(), 'build it with `node scripts/build-pty-spawner.js`').toBe(spawnerBinary);
    const first = start('sleep', ['30']);
    const second = start('sleep', ['30']);
    const pids = [await first.child.started, await second.child.started];
    const spawner = spawnerOf(pids[0]!);
    expect(spawner).toBeDefined();
    expect(spawnerOf(pids[1]!)).toBe(spawner);
    expect(hostOf(pids[0]!)).toBe(ptyHostPid());
  });

  it.skipIf(process.env.PHOTON_PTY_HOST === 'node')('is the pty host itself (--host): no Node process sits between the engine and the ptys', async () => {
    const program = await start('sleep', ['30']).child.started;
    expect(spawnerOf(program!)).toBe(ptyHostPid());
    expect(isHostInC(ptyHostPid()!)).toBe(true);
  });

  it('gives a program its own pseudo-terminal, sized and set as node-pty sets it', async () => {
    const { output, exited } = start('/bin/sh', ['-c', 'tty; stty size; stty -a']);
    expect(await exited).toEqual({ exitCode: 0, signal: null });
    expect(output()).toMatch(/^\/dev\/pts\/\d+\r\n30 120\r\n/);
    // node-pty's PtyFork settings, and IUTF8: an erase in a line of UTF-8 takes a whole character.
    const settings = output().split(/\s+/);
    expect(settings).toEqual(expect.arrayContaining(['iutf8', 'ixany', 'imaxbel', 'icrnl', 'onlcr', 'echoctl', 'echoke', 'hupcl', 'cs8']));
    expect(settings).not.toContain('-iutf8');
    expect(output()).toMatch(/intr = \^C; quit = \^\\; erase = \^\?; kill = \^U; eof = \^D;/);
  });

  it('makes it the controlling terminal: Ctrl-C interrupts the program in its foreground', async () => {
    const { child, exited } = start('sleep', ['30']);
    await child.started;
    child.write('\x03');
    expect(await exited).toEqual({ exitCode: null, signal: 'SIGINT' });
  });

  it("starts a program with default signal handling, not the spawner's", async () => {
    // The spawner ignores SIGPIPE; a program that inherited that would see EPIPE and complain.
    const { output, exited } = start('/bin/bash', ['-c', 'yes | head -n 1; echo "yes ended: ${PIPESTATUS[0]}"']);
    expect(await exited).toEqual({ exitCode: 0, signal: null });
    expect(output()).toContain('yes ended: 141');
    expect(output()).not.toContain('Broken pipe');
  });

  it('reports exit codes and signals as the program ended, after all of its output', async () => {
    const coded = start('/bin/sh', ['-c', 'head -c 300000 /dev/zero | tr "\\0" x; exit 7']);
    const killed = start('/bin/sh', ['-c', 'kill -TERM $$']);
    const fine = start('true', []);
    expect(await coded.exited).toEqual({ exitCode: 7, signal: null });
    expect(coded.output()).toBe('x'.repeat(300_000));
    expect(await killed.exited).toEqual({ exitCode: null, signal: 'SIGTERM' });
    expect(await fine.exited).toEqual({ exitCode: 0, signal: null });
  });

  it('passes arguments and environment values holding tabs, newlines and any UTF-8 as they are', async () => {
    const odd = 'a\tb\nc  d é ✓';
    const { output, exited } = start('/bin/sh', ['-c', 'printf "[%s]" "$1" "$ODD"', 'name', odd], { env: { ...env, ODD: odd } });
    expect(await exited).toEqual({ exitCode: 0, signal: null });
    // The terminal turns the newline into CR LF on the way out (onlcr).
    expect(output()).toBe(`[${odd}][${odd}]`.replaceAll('\n', '\r\n'));
  });

  describe('a program that cannot start', () => {
    const dir = makeTempDir('spawner-failures');
    afterAll(() => removeDir(dir));

    it('is a clear failure naming what is missing, never an exit status the program could have given', async () => {
      const notExecutable = join(dir, 'script');
      writeFileSync(notExecutable, '#!/bin/sh\necho hi\n');
      chmodSync(notExecutable, 0o644);
      // There, but its #! line names an interpreter that is not: exec says ENOENT, as for no program.
      const noInterpreter = join(dir, 'photon-old-script');
      writeFileSync(noInterpreter, '#!/nonexistent/python2 -u\nprint "hi"\n');
      chmodSync(noInterpreter, 0o755);
      const cases = [
        [start('/nonexistent/photon-program', []), 'cannot start /nonexistent/photon-program: No such file or directory'],
        [start('photon-no-such-program', [], { env: { ...env, PATH: '/usr/bin:/bin' } }), 'cannot start photon-no-such-program: no such program on its PATH (/usr/bin:/bin)'],
        [start('/bin/sh', ['-c', 'true'], { cwd: join(dir, 'gone') }), `cannot start /bin/sh in ${join(dir, 'gone')}: No such file or directory`],
        [start(notExecutable, []), `cannot start ${notExecutable}: Permission denied`],
        [start(noInterpreter, []), `cannot start ${noInterpreter}: the interpreter its #! line names, /nonexistent/python2, is not there`],
        [start('photon-old-script', [], { env: { ...env, PATH: `${dir}:/usr/bin:/bin` } }), `cannot start photon-old-script (${noInterpreter}): the interpreter its #! line names, /nonexistent/python2, is not there`],
      ] as const;
      for (const [terminal, error] of cases) {
        expect(await terminal.exited).toEqual({ exitCode: null, signal: null, error });
        expect(await terminal.child.started).toBeUndefined();
      }
    });

    it('is said on its terminal screen', async () => {
      const shown = new Map<string, string>();
      const manager = new TerminalManager({ data: (id, data) => shown.set(id, (shown.get(id) ?? '') + data), updated: () => {} });
      const terminal = manager.create({ file: 'photon-no-such-program', args: [], cwd: tmpdir(), env: { ...env, PATH: '/bin' }, title: 'missing', command: null });
      await waitUntil(() => manager.get(terminal.info.id).status === 'exited', 'the terminal to end');
      expect(shown.get(terminal.info.id)).toContain('photon: cannot start photon-no-such-program: no such program on its PATH (/bin)');
    });
  });

  it('under the Node host (PHOTON_PTY_HOST=node), when killed, ends its terminals with the reason and stops their processes; the next terminal gets a new spawner', async () => {
    vi.stubEnv('PHOTON_PTY_HOST', 'node');
    vi.resetModules();
    try {
      const { spawnPty } = await import('../../../electron/engine/terminals/index.js');
      const onNodeHost = (file: string, args: string[]) => start(file, args, { spawn: spawnPty });
      const one = onNodeHost('sleep', ['300']);
      const two = onNodeHost('/bin/sh', ['-c', 'trap "" HUP; sleep 300']);
      const pids = [(await one.child.started)!, (await two.child.started)!];
      const spawner = spawnerOf(pids[0]!)!;
      expect(isHostInC(spawner)).toBe(false);
      process.kill(spawner, 'SIGKILL');
      const reason = new RegExp(`^Photon's pty spawner \\(pid ${spawner}\\) ended \\(SIGKILL\\) while the terminal ran; its process was stopped$`);
      for (const exit of await Promise.all([one.exited, two.exited])) expect(exit).toEqual({ exitCode: null, signal: null, error: expect.stringMatching(reason) });
      await waitUntil(() => pids.every(isDead), 'the orphaned programs to be stopped');

      const next = onNodeHost('/bin/sh', ['-c', 'echo "af""ter"; read line; exit 3']);
      const nextSpawner = spawnerOf((await next.child.started)!);
      expect(nextSpawner).toBeDefined();
      expect(nextSpawner).not.toBe(spawner);
      await waitUntil(() => next.output().includes('after'), 'the new terminal to answer');
      next.child.write('\r');
      expect(await next.exited).toEqual({ exitCode: 3, signal: null });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe.runIf(process.platform === 'linux')('a pty host given a spawner that will not run', () => {
  it('starts its terminals through node-pty, saying why once', async () => {
    // Built for another machine, or from other sources: it does not answer --protocol with 2.
    const dir = makeTempDir('spawner-foreign');
    const foreign = join(dir, 'photon-pty-spawner');
    writeFileSync(foreign, '#!/bin/sh\necho 0\n');
    chmodSync(foreign, 0o755);
    const host = spawn(process.execPath, [join(repoRoot, 'electron/engine/terminals/pty-host-main.js'), foreign], { stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      // The host's reports: [length u32][type u8][terminal id u32][payload]; 3 is an exit.
      const reports: { type: number; payload: Buffer }[] = [];
      let pending = Buffer.alloc(0);
      host.stdout.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 4 && pending.length - 4 >= pending.readUInt32BE(0)) {
          reports.push({ type: pending[4]!, payload: pending.subarray(9, 4 + pending.readUInt32BE(0)) });
          pending = pending.subarray(4 + pending.readUInt32BE(0));
        }
      });
      let stderr = '';
      host.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const request = { file: '/bin/sh', args: ['-c', 'echo "fr""om node-pty"'], cwd: dir, env: {}, cols: 80, rows: 24 };
      const spawnRequest = (id: number) => spawnFrame(id, request, { set: { PATH: process.env.PATH! }, unset: [] });
      host.stdin.write(Buffer.concat([environmentFrame({}), spawnRequest(1), spawnRequest(2)]));
      await waitUntil(() => reports.filter((report) => report.type === 3).length === 2, 'both terminals to end');
      // An exit's payload: [exit code i32][signal i32].
      expect(reports.filter((report) => report.type === 3).map((report) => [report.payload.readInt32BE(0), report.payload.readInt32BE(4)])).toEqual([[0, 0], [0, 0]]);
      expect(Buffer.concat(reports.map((report) => report.payload)).toString('utf8').split('from node-pty')).toHaveLength(3);
      expect(stderr).toBe(`photon: terminals start through node-pty: ${foreign} speaks protocol 0, not 2: rebuild it with \`node scripts/build-pty-spawner.js\`\n`);
    } finally {
      host.kill();
      removeDir(dir);
    }
  });
});

describe.runIf(process.platform === 'linux' && existsSync(spawnerBinary))('a spawner built from older sources, which cannot be the host', () => {
  it('leaves its terminals to the Node host, which starts them as it always did', async () => {
    // As a build from before `--host` answers it: how it is run, and exit code 2.
    const dir = makeTempDir('spawner-old');
    const old = join(dir, 'photon-pty-spawner');
    writeFileSync(old, `#!/bin/sh\nif [ "$1" = --protocol ]; then echo 1; exit 0; fi\nif [ "$#" -ne 0 ]; then echo "usage: $0 [--protocol]" >&2; exit 2; fi\nexec ${spawnerBinary}\n`);
    chmodSync(old, 0o755);
    vi.stubEnv('PHOTON_PTY_SPAWNER', old);
    vi.resetModules();
    const said = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { spawnPty } = await import('../../../electron/engine/terminals/index.js');
      const first = start('/bin/sh', ['-c', 'echo "fi""rst"'], { spawn: spawnPty });
      const second = start('/bin/sh', ['-c', 'echo "sec""ond"; exit 4'], { spawn: spawnPty });
      expect(await first.exited).toEqual({ exitCode: 0, signal: null });
      expect(await second.exited).toEqual({ exitCode: 4, signal: null });
      expect(first.output()).toContain('first');
      expect(second.output()).toContain('second');
      expect(said.mock.calls.map(([text]) => String(text)).join('')).toContain(`photon: ${old} cannot serve as the terminal host`);
    } finally {
      said.mockRestore();
      vi.unstubAllEnvs();
      removeDir(dir);
    }
  });
});

describe.runIf(process.platform === 'linux').each(['photon-pty-spawner', 'node-pty'])('a terminal started through %s', (mode) => {
  it("holds no other terminal's pty master (node-pty issue #657)", async () => {
    // A fresh host (and spawner) for each mode, started while another terminal is open: what it
    // inherits then is what it must not pass on.
    vi.stubEnv('PHOTON_PTY_SPAWNER', mode === 'node-pty' ? 'node-pty' : '');
    vi.resetModules();
    const fresh = (await import('../../../electron/engine/terminals/index.js')).spawnPty;
    try {
      const open = start('sleep', ['30'], { spawn: fresh });
      await open.child.started;
      const program = start('ls', ['-l', '/proc/self/fd'], { spawn: fresh });
      const script = start('/bin/bash', ['-c', 'for fd in /proc/$$/fd/*; do echo "fd ${fd##*/} -> $(readlink "$fd")"; done'], { spawn: fresh });
      expect((await program.exited).exitCode).toBe(0);
      expect((await script.exited).exitCode).toBe(0);
      // Linux names a pty master /dev/ptmx (or /dev/pts/ptmx); a program's own side is /dev/pts/N.
      expect(program.output()).toMatch(/ 0 -> \/dev\/pts\/\d+/);
      expect(script.output()).toMatch(/fd 0 -> \/dev\/pts\/\d+/);
      expect(program.output() + script.output()).not.toContain('ptmx');
      expect(spawnerOf((await open.child.started)!) !== undefined).toBe(mode === 'photon-pty-spawner');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
