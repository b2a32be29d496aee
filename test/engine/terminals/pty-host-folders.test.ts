import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnPty, type ExitInfo } from '../../../electron/engine/terminals/pty-process.js';
import { makeTempDir, removeDir } from '../helpers.js';

/**
 * A process's folders (a step attempt's temp folder) are made by the pty host as it starts the
 * process, off its event loop (bench/dag.bench.ts: a directory operation waits for the disk's
 * journal, sometimes for milliseconds); what the engine sends the process meanwhile still reaches
 * it, in order.
 */
describe('folders made by the pty host', () => {
  let root = '';
  beforeEach(() => {
    root = makeTempDir('pty-folders');
  });
  afterEach(() => removeDir(root));

  function run(command: string, folders: string[], input?: string): Promise<{ output: string; exit: ExitInfo }> {
    const child = spawnPty({ file: '/bin/sh', args: ['-c', command], cwd: root, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, folders });
    // Sent at once, before the host has made the folders and started the process.
    if (input !== undefined) child.write(input);
    let output = '';
    child.onData((data) => void (output += data));
    return new Promise((resolve) => child.onExit((exit) => resolve({ output, exit })));
  }

  it('exist, private to the user, when the process starts, and what was written to it meanwhile reaches it in order', async () => {
    const folder = join(root, 'runs', 'run-1', 'step-1', 'attempt-1.tmp');
    const { output, exit } = await run(`test -d ${folder} && read first && read second && echo "got $first $second"`, [folder], 'one\ntwo\n');
    expect(exit).toEqual({ exitCode: 0, signal: null });
    expect(output).toContain('got one two');
    expect(statSync(folder).mode & 0o777).toBe(0o700);
  });

  it('one that cannot be made fails the start, naming it, and no process runs', async () => {
    writeFileSync(join(root, 'runs'), '');
    const folder = join(root, 'runs', 'run-1', 'step-1', 'attempt-1.tmp');
    const marker = join(root, 'ran');
    const { exit } = await run(`touch ${marker}`, [folder]);
    expect(exit.exitCode).toBeNull();
    expect(exit.error).toContain(`cannot make its folder ${folder}`);
    expect(() => statSync(marker)).toThrow();
  });
});
