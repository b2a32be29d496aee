#!/usr/bin/env node
// Runs the test suite. On Linux, where D-Bus and gnome-keyring are installed, it runs inside a
// private D-Bus session with a fresh, unlocked keyring in a temporary folder, so the keychain
// tests use a real Secret Service and never the user's own keyring.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

function run(command, commandArgs, env) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', env });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main() {
  const vitest = ['node_modules/vitest/vitest.mjs', 'run', ...args];
  if (process.platform !== 'linux' || process.env.PHOTON_KEYRING === 'off') return run(process.execPath, vitest, process.env);

  if (process.env.PHOTON_KEYRING !== 'inside') {
    if (!has('dbus-run-session') || !has('gnome-keyring-daemon')) {
      console.warn('run-tests: dbus-run-session or gnome-keyring-daemon is missing; keychain tests will skip (apt install dbus gnome-keyring).');
      return run(process.execPath, vitest, process.env);
    }
    return run('dbus-run-session', ['--', process.execPath, ...process.argv.slice(1)], { ...process.env, PHOTON_KEYRING: 'inside' });
  }

  const keyringHome = mkdtempSync(join(tmpdir(), 'photon-keyring-'));
  const daemon = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], {
    input: '\n',
    env: { ...process.env, HOME: keyringHome, XDG_DATA_HOME: join(keyringHome, 'data') },
    encoding: 'utf8',
  });
  if (daemon.status !== 0) {
    console.error(`run-tests: gnome-keyring-daemon failed: ${daemon.stderr}`);
    return 1;
  }
  const keyringEnv = Object.fromEntries(
    daemon.stdout
      .split('\n')
      .map((line) => line.split('='))
      .filter((parts) => parts.length >= 2 && parts[0])
      .map(([key, ...value]) => [key, value.join('=')]),
  );
  try {
    return await run(process.execPath, vitest, { ...process.env, ...keyringEnv, PHOTON_REQUIRE_KEYCHAIN: '1' });
  } finally {
    // The keyring daemon ends with the private D-Bus session; a pkill here could hit the user's own.
    rmSync(keyringHome, { recursive: true, force: true });
  }
}

process.exitCode = await main();
