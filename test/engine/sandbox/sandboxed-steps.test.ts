/**
 * Sandboxed shell steps through the real engine and real bubblewrap: what the step can and cannot
 * write, reach and read, and what its output says about it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { repoRoot, runToEnd, shellStep, stepOf, useSandbox } from '../helpers.js';
import { bwrapAvailable } from './sandbox-setup.js';

const fenced = { sandbox: { network: false, write: ['worktree'] } };

describe.skipIf(!bwrapAvailable)('a sandboxed step (bubblewrap)', () => {
  const sandbox = useSandbox('sandbox');
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('writes inside its folder, is refused a write outside it, and its output says why', async () => {
    // The folder holding the step's folder: shown read-only, wherever the test's temp folder is.
    const outside = dirname(sandbox.work);
    const command = `echo inside > inside.txt; echo outside > '${outside}/outside.txt'; echo done`;
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, command, fenced)]);

    expect(status).toBe('succeeded');
    expect(readFileSync(join(sandbox.work, 'inside.txt'), 'utf8')).toBe('inside\n');
    expect(existsSync(join(outside, 'outside.txt'))).toBe(false);
    const output = stepOf(detail, 1).output ?? '';
    expect(output).toMatch(/Read-only file system/);
    expect(output).toContain(`photon: the sandbox refused a write outside the step's folders ("Read-only file system"): it may write only the step's folder (${sandbox.work})`);
    expect(output).toContain('add it to "write" in workflow[0].sandbox');
  });

  it("writes to the user's home land in a private home that ends with the attempt", async () => {
    const marker = `photon-sandbox-test-${process.pid}-${Date.now()}`;
    const { status, detail } = await runToEnd(sandbox, [shellStep(1, `echo x > ~/${marker} && cat ~/${marker} && echo wrote-home`, fenced)]);

    expect(status).toBe('succeeded');
    expect(stepOf(detail, 1).output).toContain('wrote-home');
    expect(existsSync(join(process.env.HOME ?? '/root', marker))).toBe(false);
  });

  it('cannot reach a port this machine listens on without network, and says so; can with "network": true', async () => {
    let connections = 0;
    const server: Server = createServer((socket) => {
      connections++;
      socket.end('hello from the host\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => server.close());
    const port = (server.address() as { port: number }).port;
    const connect = `exec 3<>/dev/tcp/127.0.0.1/${port} && head -1 <&3`;

    const off = await runToEnd(sandbox, [shellStep(1, connect, fenced)]);
    expect(off.status).toBe('failed');
    expect(connections).toBe(0);
    const output = stepOf(off.detail, 1).output ?? '';
    expect(output).toMatch(/Connection refused/);
    expect(output).toContain('photon: the sandbox has no network ("Connection refused")');
    expect(output).toContain('set "network": true in workflow[0].sandbox');

    const on = await runToEnd(sandbox, [shellStep(1, connect, { sandbox: { network: true } })]);
    expect(on.status).toBe('succeeded');
    expect(stepOf(on.detail, 1).output).toContain('hello from the host');
    expect(stepOf(on.detail, 1).output).not.toContain('photon: the sandbox');
  });
});

describe.skipIf(!bwrapAvailable)('the keychain from a sandboxed step', () => {
  // A home of the test's own, holding a keyring file as GNOME Keyring keeps it.
  const home = mkdtempSync(join(tmpdir(), 'photon-sandbox-home-'));
  mkdirSync(join(home, '.local', 'share', 'keyrings'), { recursive: true });
  writeFileSync(join(home, '.local', 'share', 'keyrings', 'login.keyring'), 'KEYRING BYTES\n');
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const sandbox = useSandbox('sandbox-keychain', { env: { ...process.env, HOME: home } });

  it('reaches neither the D-Bus session bus, nor the Secret Service through keytar, nor the keyrings folder, and says so', async () => {
    const bus = /unix:path=([^,]+)/.exec(process.env.DBUS_SESSION_BUS_ADDRESS ?? '')?.[1];
    if (!bus || !existsSync(bus)) throw new Error('run through scripts/run-tests.js: it starts the private D-Bus session this test looks for');
    const connect = `const s = require('net').connect(${JSON.stringify(bus)}); s.on('connect', () => { console.log('BUS REACHED'); s.destroy(); }); s.on('error', (e) => console.log('bus: ' + e.code));`;
    const keytarFolder = realpathSync(join(repoRoot, 'node_modules', 'keytar'));
    const keytar = `require(${JSON.stringify(keytarFolder)}).getPassword('photon-sandbox-test', 'none').then((v) => console.log('KEYCHAIN ANSWERED ' + v), (e) => console.log('keychain: ' + e.message));`;
    const command = [
      'echo "address=${DBUS_SESSION_BUS_ADDRESS:-unset}"',
      'cat ~/.local/share/keyrings/login.keyring 2>&1 || true',
      `'${process.execPath}' -e ${shellQuote(connect)}`,
      `'${process.execPath}' -e ${shellQuote(keytar)}`,
    ].join('; ');

    // keytar must be there to ask (a checkout under /home or /tmp is hidden): shown through "write", the one list a sandbox has.
    const { detail } = await runToEnd(sandbox, [shellStep(1, command, { sandbox: { network: false, write: ['worktree', keytarFolder] } }), shellStep(2, command)]);
    const inside = stepOf(detail, 1).output ?? '';
    expect(inside).toContain('address=unset');
    expect(inside).not.toContain('KEYRING BYTES');
    expect(inside).toContain('bus: ENOENT');
    expect(inside).not.toContain('BUS REACHED');
    expect(inside).toMatch(/keychain: .*Cannot autolaunch D-Bus/);
    expect(inside).toContain('photon: the keychain is out of reach in the sandbox ("Cannot autolaunch D-Bus")');
    // The same command outside the sandbox reaches all three: the test looks where the keychain is.
    const outside = stepOf(detail, 2).output ?? '';
    expect(outside).toContain('KEYRING BYTES');
    expect(outside).toContain('BUS REACHED');
    expect(outside).toContain('KEYCHAIN ANSWERED null');
  });
});

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
