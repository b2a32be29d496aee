import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photon, tempFolder, writeWorkflow } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());

interface RunJson {
  runId: string;
  status: string;
  steps: { step: number; status: string; attempts: number; exitCode: number | null; output: string | null }[];
}

describe('photon runs, show and resume', () => {
  let failed: RunJson;
  let file: string;
  const fixed = join(temp.dir, 'fixed');
  const log = (step: number) => join(temp.dir, `ran-${step}.log`);

  beforeAll(async () => {
    // Step 2 fails until the file `fixed` exists; every step leaves a line per run in its log.
    file = writeWorkflow(temp.dir, 'Needs a fix', [
      { step: 1, command: `echo ran >> ${log(1)}; echo first` },
      { step: 2, command: `echo ran >> ${log(2)}; test -f ${fixed}`, dependencies: [1] },
      { step: 3, command: `echo ran >> ${log(3)}; echo "after {{steps.1.output}}"`, dependencies: [2] },
      { step: 4, command: `echo ran >> ${log(4)}` },
    ]);
    const result = await photon(['run', file, '--json', '--data-dir', temp.dataDir]);
    expect(result.code).toBe(1);
    failed = JSON.parse(result.stdout) as RunJson;
  });

  it('lists recent runs, newest first, as a table or JSON', async () => {
    const other = writeWorkflow(temp.dir, 'Second', [{ step: 1, command: 'true' }]);
    expect((await photon(['run', other, '--data-dir', temp.dataDir])).code).toBe(0);

    const table = await photon(['runs', '--data-dir', temp.dataDir]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RUN +STATUS +STEPS OK +STARTED +DURATION +WORKFLOW$/);
    expect(lines[1]).toMatch(/succeeded +1\/1 .* Second$/);
    expect(lines[2]).toMatch(new RegExp(`^${failed.runId} +failed +2/4 .* Needs a fix$`));

    const json = await photon(['runs', '--json', '--limit', '1', '--data-dir', temp.dataDir]);
    const runs = JSON.parse(json.stdout) as { workflowName: string; counts: { total: number } }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ workflowName: 'Second', counts: { total: 1 } });
  });

  it('says so when there is no history yet', async () => {
    const result = await photon(['runs', '--data-dir', join(temp.dir, 'empty')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No runs yet');
  });

  it('shows a run by a unique prefix, in the JSON shape of run --json', async () => {
    const json = await photon(['show', failed.runId.slice(0, 10), '--json', '--data-dir', temp.dataDir]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(failed);

    const human = await photon(['show', failed.runId, '--data-dir', temp.dataDir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`Run ${failed.runId}: Needs a fix`);
    expect(human.stdout).toMatch(/^ +2 +failed +1 +1 /m);
    expect(human.stdout).toMatch(/^ +3 +skipped +0 +- +- /m);
    expect(human.stdout).toContain(`photon resume ${failed.runId}`);
  });

  it('exits 2 for a run that does not exist', async () => {
    const result = await photon(['show', 'zzzzzzzz', '--data-dir', temp.dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no run "zzzzzzzz"');
  });

  it('resumes after the fix: only the steps that did not succeed run again', async () => {
    writeFileSync(fixed, '');
    const result = await photon(['resume', failed.runId, '--json', '--data-dir', temp.dataDir]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/resumed: Needs a fix \(2 of 4 steps to run/);
    const resumed = JSON.parse(result.stdout) as RunJson;
    expect(resumed.runId).toBe(failed.runId);
    expect(resumed.status).toBe('succeeded');
    expect(resumed.steps.map((s) => [s.step, s.status, s.attempts])).toEqual([
      [1, 'succeeded', 1],
      [2, 'succeeded', 2],
      [3, 'succeeded', 1],
      [4, 'succeeded', 1],
    ]);
    expect(resumed.steps[2]!.output).toBe('after first');
    const runs = (step: number) => (existsSync(log(step)) ? readFileSync(log(step), 'utf8').trim().split('\n').length : 0);
    expect([runs(1), runs(2), runs(3), runs(4)]).toEqual([1, 2, 1, 1]);

    const again = await photon(['resume', failed.runId, '--data-dir', temp.dataDir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('only interrupted, failed or cancelled runs can be resumed');
  });
});
