import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startPhoton, tempFolder } from './helpers.js';

/**
 * `photon` ends as soon as its command is done (bin/photon.js), without waiting for Node to tear
 * itself down; never before what it printed is written, even to a pipe read slowly, where Node
 * writes in the background what the pipe has no room for yet.
 */
describe('photon run printing more than a pipe holds, read slowly', () => {
  it('writes all of it before it exits', async () => {
    const { dir, dataDir, cleanup } = tempFolder();
    const file = join(dir, 'big.json');
    // About 300 KB of output, all of it in --json's "output": several times a pipe's 64 KB.
    const command = 'yes abcdefghijklmnopqrstuvwxyz | head -c 300000';
    writeFileSync(file, JSON.stringify({ name: 'big', workflow: [{ step: 1, platform: 'shell', inputs: { command }, dependencies: [] }] }));
    const photon = startPhoton(['run', file, '--json', '--data-dir', dataDir]);
    // Nothing is read until the run has ended (its last progress line, on stderr), and a moment more.
    photon.child.stdout!.pause();
    await new Promise<void>((resolve) => {
      const check = () => (/ run \S+ succeeded/.test(photon.stderr()) || photon.child.exitCode !== null ? resolve() : setTimeout(check, 20));
      check();
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    photon.child.stdout!.resume();
    const finished = await photon.done;
    cleanup();
    expect(finished.code, finished.stderr).toBe(0);
    const printed = JSON.parse(finished.stdout) as { status: string; steps: { output: string }[] };
    expect(printed.status).toBe('succeeded');
    expect(printed.steps[0]!.output).toBe('abcdefghijklmnopqrstuvwxyz\n'.repeat(11_112).slice(0, 300_000));
  });
});
