/**
 * Ctrl-C at the keyboard signals the terminal's whole foreground process group: `photon run`, and
 * with it the pty host and photon-pty-spawner it started (neither is detached). The CLI catches it
 * and cancels the run, stopping its steps itself; the host and the spawner must live on until the
 * engine lets go of them (they end with their stdin), or every running step is recorded as lost
 * with its terminal host instead of cancelled. (interrupt.test.ts signals the CLI alone.)
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { photon, photonBin, repoRoot, tempFolder, waitUntil, writeWorkflow } from '../../server/cli/helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());

describe.runIf(process.platform !== 'win32')('Ctrl-C to the foreground process group of `photon run`', () => {
  it('cancels the run; no step is lost with its terminal host or spawner', async () => {
    const stepPid = join(temp.dir, 'step.pid');
    const file = writeWorkflow(temp.dir, 'Keyboard', [{ step: 1, command: `echo $$ > ${stepPid}; sleep 300` }]);
    // A process group of its own, as a shell's job control gives a foreground command.
    const child = spawn(process.execPath, [photonBin, 'run', file, '--data-dir', temp.dataDir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.resume();
    const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await waitUntil(() => existsSync(stepPid) && readFileSync(stepPid, 'utf8').endsWith('\n'), 15_000, 'the step to start');

    process.kill(-child.pid!, 'SIGINT');
    expect(await done).toBe(130);
    const runId = /run (\w+) cancelled/.exec(stdout)?.[1];
    expect(runId, stdout).toBeDefined();
    const shown = JSON.parse((await photon(['show', runId!, '--json', '--data-dir', temp.dataDir])).stdout) as { steps: { status: string; error: string | null }[] };
    expect(shown.steps.map((step) => step.status)).toEqual(['cancelled']);
    expect(shown.steps[0]!.error ?? '').not.toMatch(/terminal host|pty spawner/);
  }, 60_000);
});
