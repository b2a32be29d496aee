import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSandbox, waitUntil } from '../helpers.js';

/**
 * An app started from a desktop launcher or a service may have no `$SHELL`. A new tab then opens
 * the login shell the system has on record for the user, as a terminal emulator would, not
 * `/bin/sh` (dash on Debian, which leaves its jobs running when the tab closes).
 */
const onRecord = process.platform === 'linux' ? userInfo().shell : null;
const withoutShell = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'SHELL'));

describe.runIf(onRecord && basename(onRecord) !== 'sh')('a new tab when $SHELL is not set', () => {
  const sandbox = useSandbox('login-shell', { env: withoutShell });

  it("opens the user's login shell from the user database", async () => {
    const terminal = await sandbox.engine.call('terminals.create', { cwd: sandbox.work });
    const program = () => readFileSync(`/proc/${terminal.pid}/comm`, 'utf8').trim();
    // The pty program may pass through bash to drop other terminals' descriptors, then exec the shell.
    await waitUntil(() => program() === basename(onRecord!), `${onRecord} in the tab`, 10_000);
    expect(terminal.title.startsWith(`${basename(onRecord!)} ·`)).toBe(true);
    await sandbox.engine.call('terminals.kill', { id: terminal.id });
  });
});
