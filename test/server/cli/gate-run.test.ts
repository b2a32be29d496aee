/**
 * `photon run` with an approval gate: the run says which step waits, what for and how to answer;
 * answered with `photon approve` / `photon deny` from a second terminal, the run goes on and ends.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { photon, startPhoton, tempFolder, waitUntil } from './helpers.js';

let temp: ReturnType<typeof tempFolder>;
let running: ReturnType<typeof startPhoton> | undefined;

beforeEach(() => {
  temp = tempFolder();
});
afterEach(async () => {
  if (running && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGINT');
    await running.done;
  }
  running = undefined;
  temp.cleanup();
});

function gatedWorkflow(): string {
  const file = join(temp.dir, 'gated.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'gated',
      workflow: [
        { step: 1, platform: 'shell', inputs: { command: 'echo v2' } },
        { step: 2, label: 'Release gate', platform: 'approval', inputs: { message: 'Release {{steps.1.output}}?' }, dependencies: [1] },
        { step: 3, platform: 'shell', inputs: { command: `touch ${join(temp.dir, 'released')}` }, dependencies: [2] },
      ],
    }),
  );
  return file;
}

const waits = /Step 2 \(Release gate\) waits for your approval: Release v2\?\. Approve from any terminal: photon approve (\S+) --data-dir (\S+) {2}or reject: photon deny (\S+) --data-dir \S+$/m;

describe('photon run with an approval gate', () => {
  it('prints the waiting gate and how to answer; approved from another terminal, the run goes on', { timeout: 120_000 }, async () => {
    const data = ['--data-dir', temp.dataDir];
    const run = startPhoton(['run', gatedWorkflow(), ...data]);
    running = run;
    await waitUntil(() => waits.test(run.stdout()), 60_000, 'the gate to wait').catch((error: unknown) => {
      throw new Error(`${String(error)}; photon run said: ${run.stdout()}${run.stderr()}`);
    });
    const [, id, dataDir, denyId] = waits.exec(run.stdout())!;
    expect([dataDir, denyId]).toEqual([temp.dataDir, id]);
    const approved = await photon(['approve', id!, ...data]);
    expect(approved).toMatchObject({ code: 0, stdout: `${id}: allowed (Release v2?)\n` });
    const done = await run.done;
    expect(done.stdout).toContain('Step 2 (Release gate): approved by you');
    expect(done.code).toBe(0);
    expect(existsSync(join(temp.dir, 'released'))).toBe(true);
  });

  it('rejected from another terminal, the run fails and says who rejected it and why', { timeout: 120_000 }, async () => {
    const data = ['--data-dir', temp.dataDir];
    const run = startPhoton(['run', gatedWorkflow(), ...data]);
    running = run;
    await waitUntil(() => waits.test(run.stdout()), 60_000, 'the gate to wait');
    const [, id] = waits.exec(run.stdout())!;
    expect((await photon(['deny', id!, '--message', 'wait for QA', ...data])).code).toBe(0);
    const done = await run.done;
    expect(done.stdout).toContain('Step 2 (Release gate): rejected by you: wait for QA');
    expect(done.code).not.toBe(0);
    expect(existsSync(join(temp.dir, 'released'))).toBe(false);
  });
});
