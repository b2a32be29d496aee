import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnerBinary } from '../../../scripts/build-pty-spawner.js';
import { repoRoot, waitUntil } from '../helpers.js';

/**
 * The engine starts its pty host ahead of the first terminal (engine/early.ts), so that the host's
 * start overlaps the engine's own loading. The spawner's check (asked its protocol) and its start
 * belong to that start too: left to the first request, they held up the first step of every run.
 */
const hosts: ChildProcess[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) host.kill();
});

/** The host's children (Linux: /proc), each as its command line. */
function childrenOf(pid: number): string[][] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return children.map((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').filter(Boolean));
  } catch {
    return [];
  }
}

describe.runIf(process.platform === 'linux' && existsSync(spawnerBinary))('a pty host given a spawner', () => {
  it('has it running before any terminal is asked for', async () => {
    const host = spawn(process.execPath, [join(repoRoot, 'electron/engine/terminals/pty-host-main.js'), spawnerBinary], { stdio: ['pipe', 'pipe', 'inherit'] });
    hosts.push(host);
    // Nothing is sent: the host only waits for requests.
    await waitUntil(() => childrenOf(host.pid!).some((argv) => argv.length === 1 && argv[0] === spawnerBinary), 'the spawner to be started, serving (no --protocol)');
    expect(host.exitCode).toBeNull();
  });
});
