import { describe, expect, it } from 'vitest';
import { releaseTerminalHost } from '../../../electron/engine/early.js';
import { ptyHostPid } from '../../../electron/engine/terminals/pty-host.js';
import { isDead, waitUntil } from '../helpers.js';
import { ptyStarter } from './started-ptys.js';

/**
 * A command whose steps are over lets its terminal host go (cli/open-engine.ts), so the host ends
 * while the engine closes rather than after the command's process has exited; never while a
 * terminal still runs, and a terminal started later has a host again.
 */
const start = ptyStarter();

describe.runIf(process.platform !== 'win32')('releasing the terminal host', () => {
  it('ends an idle host, and the next terminal starts another', async () => {
    expect(await start('/bin/sh', ['-c', 'exit 0']).exited).toEqual({ exitCode: 0, signal: null });
    const host = ptyHostPid();
    expect(host).toBeDefined();
    releaseTerminalHost();
    await waitUntil(() => isDead(host!), 'the idle host to end');

    const next = start('/bin/sh', ['-c', 'echo "ne""xt"']);
    expect(await next.exited).toEqual({ exitCode: 0, signal: null });
    expect(next.output()).toContain('next');
    expect(ptyHostPid()).not.toBe(host);
  });

  it('leaves a host with a live terminal serving it', async () => {
    const live = start('/bin/sh', ['-c', 'read line; echo "got $line"']);
    await live.child.started;
    const host = ptyHostPid();
    releaseTerminalHost();
    live.child.write('x\r');
    expect(await live.exited).toEqual({ exitCode: 0, signal: null });
    expect(live.output()).toContain('got x');
    expect(ptyHostPid()).toBe(host);
    expect(isDead(host!)).toBe(false);
  });
});
