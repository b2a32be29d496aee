import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStat } from '../../../electron/engine/terminals/process-group.js';
import { Redactor } from '../../../electron/engine/secrets/index.js';
import { TerminalManager, type OutputFilter, type TerminalHandle } from '../../../electron/engine/terminals/index.js';
import { outputWork, terminalFlow, type TerminalInfo } from '../../../shared/terminals.js';
import { hangupImmuneJob, isDead, readPid } from '../helpers.js';

const env = { ...(process.env as Record<string, string>), TERM: 'xterm-256color', PS1: '$ ' };

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * The writer truncates then rewrites the file: an empty read means "look again". Looked for by time,
 * not by count: on a loaded machine the writer can lose its core between the two for a while.
 */
function readCounter(file: string): number {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const text = readFileSync(file, 'utf8').trim();
    if (text !== '') return Number(text);
    Atomics.wait(pause, 0, 0, 1);
  }
  throw new Error(`${file} stayed empty for 5 s`);
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('TerminalManager with real pseudo-terminals', () => {
  const received = new Map<string, string>();
  const updates: TerminalInfo[] = [];
  let manager: TerminalManager;
  const dirs: string[] = [];

  const create = (command: string | null, options: { scrollbackChars?: number; outputFilter?: OutputFilter } = {}): TerminalHandle => {
    manager = new TerminalManager(
      { data: (id, data) => received.set(id, (received.get(id) ?? '') + data), updated: (info) => updates.push(info) },
      { scrollbackChars: options.scrollbackChars },
    );
    return manager.create({
      file: '/bin/bash',
      args: command === null ? ['--norc', '--noprofile', '-i'] : ['-c', command],
      cwd: tmpdir(),
      env,
      title: 'test',
      command,
      outputFilter: options.outputFilter,
    });
  };

  afterEach(async () => {
    await manager?.killAll();
    received.clear();
    updates.length = 0;
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('delivers what is typed to the process and its output back', async () => {
    const terminal = create(null);
    manager.attach(terminal.info.id, 'view');
    manager.write(terminal.info.id, 'echo "hel""lo from pty"\r');
    await waitFor(() => (received.get(terminal.info.id) ?? '').includes('hello from pty'), 'the echo');
  });

  it('redacts through its output filter before the scrollback, the views and the creator see the text', async () => {
    const secret = 'abcdef-SECRET-42';
    const redactor = new Redactor(new Map([['API_KEY', secret]]));
    // The value arrives split across two writes, and the output ends on what could start it.
    const terminal = create(`printf 'key=abcdef-SEC'; sleep 0.3; printf 'RET-42 end\\n'; printf 'tail abc'`, { outputFilter: redactor.stream() });
    const id = terminal.info.id;
    manager.attach(id, 'view');
    let heard = '';
    terminal.onData((data) => (heard += data));
    await new Promise<void>((resolve) => terminal.onExit(() => resolve()));

    const shown = 'key=[secret API_KEY] end\r\ntail abc';
    expect(received.get(id)).toBe(shown);
    expect(heard).toBe(shown);
    expect(manager.attach(id, 'later').scrollback).toBe(shown);
  });

  it('follows a resize: tput cols reports the new width', async () => {
    const terminal = create(null);
    manager.attach(terminal.info.id, 'view');
    manager.resize(terminal.info.id, 97, 31);
    manager.write(terminal.info.id, 'echo "cols=$(tput cols) lines=$(tput lines)"\r');
    await waitFor(() => /cols=97 lines=31/.test(received.get(terminal.info.id) ?? ''), 'tput to report 97x31');
    expect(manager.get(terminal.info.id)).toMatchObject({ cols: 97, rows: 31 });
  });

  it('pauses the process when acknowledgements stop and resumes when they come', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'photon-flow-'));
    dirs.push(dir);
    const counter = join(dir, 'lines');
    // Every 20th line written also sets a counter on disk, so progress is visible without reading
    // the pty. The padding is made once and the counter written rarely: a subshell or a file write
    // per line takes many seconds to fill the window when the machine is loaded.
    const terminal = create(`pad=$(printf '%0100d' 0); i=0; while true; do i=$((i+1)); echo "line $i $pad"; [ $((i % 20)) -eq 0 ] && echo $i > ${counter}; done`);
    const id = terminal.info.id;
    manager.attach(id, 'slow-view');
    await waitFor(() => manager.isPaused(id), 'the pty to pause', 20_000);
    // The window counts the view's work (a line feed as many characters), not characters.
    expect(outputWork(received.get(id) ?? '')).toBeGreaterThan(terminalFlow.highWatermark);

    // While paused the process blocks once the kernel's pty buffer is full: the counter stops.
    let before = readCounter(counter);
    for (let tries = 0; tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const now = readCounter(counter);
      if (now === before) break;
      before = now;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(readCounter(counter)).toBe(before);

    manager.ack(id, 'slow-view', (received.get(id) ?? '').length);
    expect(manager.isPaused(id)).toBe(false);
    await waitFor(() => readCounter(counter) > before + 100, 'the process to write again', 20_000);
  }, 60_000);

  it('a client that detaches stops holding the terminal back', async () => {
    const terminal = create(`yes "$(printf '%080d' 0)"`);
    const id = terminal.info.id;
    manager.attach(id, 'gone');
    await waitFor(() => manager.isPaused(id), 'the pty to pause');
    manager.detachClient('gone');
    expect(manager.isPaused(id)).toBe(false);
  });

  it("sends a fast process's output without waiting for the batch timer: a quarter window at a time, and at once after a resume", async () => {
    const pieces: number[] = [];
    // A batch timer of a minute: whatever arrives during this test came without waiting for it.
    manager = new TerminalManager(
      {
        data: (id, data) => {
          pieces.push(data.length);
          received.set(id, (received.get(id) ?? '') + data);
        },
        updated: (info) => updates.push(info),
      },
      { batchMs: 60_000 },
    );
    const terminal = manager.create({
      file: '/bin/bash',
      // Twice the window: the pty pauses with plenty still to come.
      args: ['-c', `head -c ${2 * terminalFlow.highWatermark} /dev/zero | tr '\\0' x; sleep 30`],
      cwd: tmpdir(),
      env,
      title: 'test',
      command: 'flood',
    });
    const id = terminal.info.id;
    manager.attach(id, 'view');
    await waitFor(() => manager.isPaused(id), 'the pty to pause');
    const sent = (received.get(id) ?? '').length;
    expect(sent).toBeGreaterThan(terminalFlow.highWatermark);
    // Several pieces, none much over a quarter of the window: one frame from the pty host (at most
    // 32 KB, so that flow control pauses a flood close to its window) may top it up.
    expect(pieces.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...pieces)).toBeLessThanOrEqual(terminalFlow.highWatermark / 4 + 32_768);

    manager.ack(id, 'view', sent);
    expect(manager.isPaused(id)).toBe(false);
    await waitFor(() => (received.get(id) ?? '').length > sent, 'output after the resume');
  });

  it('sends output after a quiet spell within 5 ms, and a flood in batches at most once per batch interval', async () => {
    // A batch interval of a minute: the output can only arrive because output after quiet waits 5 ms at most.
    const pieces: string[] = [];
    manager = new TerminalManager({ data: (_id, data) => pieces.push(data), updated: () => {} }, { batchMs: 60_000 });
    manager.create({ file: '/bin/bash', args: ['-c', 'printf ready; sleep 30'], cwd: tmpdir(), env, title: 'test', command: 'ready' });
    await waitFor(() => pieces.join('').includes('ready'), 'output after a quiet spell');
    await manager.killAll();

    // The default interval: each batch is a WebSocket message and a write into xterm, which draws
    // once a frame anyway. Timed by the batches themselves, so a slow machine only loosens the bound.
    const batches: { at: number; work: number }[] = [];
    let total = 0;
    manager = new TerminalManager(
      {
        data: (id, data) => {
          batches.push({ at: performance.now(), work: outputWork(data) });
          total += data.length;
          // Acknowledged at once, so flow control never pauses the flood (a resume sends at once).
          manager.ack(id, 'view', data.length);
        },
        updated: () => {},
      },
    );
    const flood = manager.create({ file: '/bin/bash', args: ['-c', 'head -c 3000000 /dev/zero | tr "\\0" x; printf END; sleep 30'], cwd: tmpdir(), env, title: 'test', command: 'flood' });
    manager.attach(flood.info.id, 'view');
    await waitFor(() => total >= 3_000_003, 'the whole flood', 30_000);
    const span = batches.at(-1)!.at - batches[0]!.at;
    const full = batches.filter((batch) => batch.work >= terminalFlow.highWatermark / 4).length;
    // One batch at the start, then at most one per 16 ms besides those sent for their size.
    expect(batches.length).toBeLessThanOrEqual(2 + full + Math.floor(span / 16));
  });

  it('keeps a bounded scrollback and replays it to a view that attaches later', async () => {
    const terminal = create('for i in $(seq 1 5000); do echo "row $i"; done; sleep 30', { scrollbackChars: 10_000 });
    const id = terminal.info.id;
    await waitFor(() => (received.get(id) ?? '').includes('row 5000'), 'all rows');
    const { scrollback, terminal: info } = manager.attach(id, 'late-view');
    expect(info.status).toBe('running');
    expect(scrollback.length).toBeLessThanOrEqual(10_000);
    expect(scrollback).toContain('row 5000');
    expect(scrollback).not.toContain('row 1\r\n');
    // The replay starts at a line break, never in the middle of a row.
    expect(scrollback).toMatch(/^row \d+\r\n/);
  });

  const tempDir = (label: string) => {
    const dir = mkdtempSync(join(tmpdir(), `photon-${label}-`));
    dirs.push(dir);
    return dir;
  };
  const exitOf = (id: string) => updates.find((u) => u.id === id && u.status === 'exited');
  const hasPid = (file: string) => existsSync(file) && readFileSync(file, 'utf8').endsWith('\n');

  it('killing a terminal leaves no process behind, background jobs included', async () => {
    const pidFile = join(tempDir('kill'), 'bg.pid');
    // A job the hang-up alone would not stop: only the signal to the whole group does.
    const terminal = create(`${hangupImmuneJob(pidFile)} sleep 300`);
    await waitFor(() => hasPid(pidFile), 'the background job to start');
    const background = readPid(pidFile);
    expect(isDead(background)).toBe(false);
    await manager.kill(terminal.info.id);
    expect(isDead(background)).toBe(true);
    expect(isDead(terminal.info.pid!)).toBe(true);
    await waitFor(() => exitOf(terminal.info.id) !== undefined, 'the exit event');
    expect(exitOf(terminal.info.id)!.signal).toMatch(/^SIG(HUP|TERM)$/);
  });

  it('stops an interactive shell with the hang-up, not with SIGKILL after the grace', async () => {
    // An interactive shell ignores SIGTERM: only SIGHUP, what closing a terminal sends, ends it politely.
    const terminal = create(null);
    manager.attach(terminal.info.id, 'view');
    manager.write(terminal.info.id, 'echo "rea""dy"\r');
    await waitFor(() => (received.get(terminal.info.id) ?? '').includes('ready'), 'the shell to answer');
    await manager.kill(terminal.info.id);
    await waitFor(() => exitOf(terminal.info.id) !== undefined, 'the exit event');
    expect(exitOf(terminal.info.id)!.signal).toBe('SIGHUP');
  });

  it('wakes a stopped job so that it gets SIGTERM and can clean up, instead of dying by SIGKILL', async () => {
    const dir = tempDir('stopped');
    const pidFile = join(dir, 'job.pid');
    const cleaned = join(dir, 'cleaned');
    // The job cleans up on SIGTERM; a stopped process runs no handler until it is continued.
    const job = `(trap "" HUP; trap "echo cleaned > ${cleaned}; exit 0" TERM; echo $BASHPID > ${pidFile}; while :; do sleep 0.05; done) &`;
    const terminal = create(`${job} sleep 300`);
    await waitFor(() => hasPid(pidFile), 'the job to start');
    const jobPid = readPid(pidFile);
    process.kill(jobPid, 'SIGSTOP');
    await waitFor(() => readStat(jobPid)?.state === 'T', 'the job to stop');
    await manager.kill(terminal.info.id);
    expect(isDead(jobPid)).toBe(true);
    expect(readFileSync(cleaned, 'utf8')).toBe('cleaned\n');
  });

  it('reports the exit code of a process that ends by itself', async () => {
    const terminal = create('exit 7');
    await waitFor(() => updates.some((u) => u.id === terminal.info.id && u.status === 'exited'), 'the exit');
    expect(manager.get(terminal.info.id)).toMatchObject({ status: 'exited', exitCode: 7, signal: null });
    expect(() => manager.write(terminal.info.id, 'x')).toThrow(/has exited/);
  });

  it("gives a process none of the other terminals' pty master sides, whether it is a bash script or another program", async () => {
    const open = create('sleep 30');
    const exited = (terminal: TerminalHandle) => new Promise<{ exitCode: number | null }>((resolve) => terminal.onExit(resolve));
    // Linux names a pty master /dev/ptmx (or /dev/pts/ptmx); a process's own side is /dev/pts/N.
    const script = manager.create({
      file: '/bin/bash',
      args: ['-c', 'for fd in /proc/$$/fd/*; do echo "fd ${fd##*/} -> $(readlink "$fd")"; done'],
      cwd: tmpdir(),
      env,
      title: 'fds of a script',
      command: null,
    });
    const program = manager.create({ file: 'ls', args: ['-l', '/proc/self/fd'], cwd: tmpdir(), env, title: 'fds of a program', command: null });
    const exits = await Promise.all([exited(script), exited(program)]);
    expect(exits.map((exit) => exit.exitCode)).toEqual([0, 0]);
    const scriptSees = manager.attach(script.info.id, 'view').scrollback;
    const programSees = manager.attach(program.info.id, 'view').scrollback;
    expect(scriptSees).toMatch(/fd 0 -> \/dev\/pts\/\d+/);
    expect(programSees).toMatch(/ 0 -> \/dev\/pts\/\d+/);
    expect(scriptSees).not.toContain('ptmx');
    expect(programSees).not.toContain('ptmx');
    expect(manager.get(open.info.id).status).toBe('running');

    // Through the closing step, a program still gets its own arguments and its exit code is its own.
    const coded = manager.create({ file: '/bin/sh', args: ['-c', 'echo "$0:$1"; exit 7', 'name', 'first arg'], cwd: tmpdir(), env, title: 'code', command: null });
    expect((await exited(coded)).exitCode).toBe(7);
    expect(manager.attach(coded.info.id, 'view').scrollback).toContain('name:first arg');
  });
});
