import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEngineCrashTest } from '../engine-process.js';
import { stepOf, shellStep, waitUntil, workflowOf } from '../helpers.js';

/**
 * An engine killed (SIGKILL, in its own process) after a race was won, while its join runs: the
 * resumed run keeps the same winner, even though the loser would now succeed at once, and runs
 * neither the winner nor the loser again.
 */
const crash = useEngineCrashTest('race-crash', ['join.pid']);

const racer = (name: string) => `echo ${name} >> counter; while [ ! -e go-${name} ]; do sleep 0.05; done; echo answer-${name}`;

function stepStatus(runId: string, step: number): string | undefined {
  const db = new Database(join(crash.dataDir, 'photon.db'), { readonly: true });
  try {
    return (db.prepare('SELECT status FROM steps WHERE run_id = ? AND step = ?').get(runId, step) as { status: string } | undefined)?.status;
  } finally {
    db.close();
  }
}

describe('an engine killed while a race\'s join runs', () => {
  it('resumes with the same winner and does not run the racers again', async () => {
    const workflowFile = join(crash.work, 'workflow.json');
    writeFileSync(
      workflowFile,
      JSON.stringify(
        workflowOf(
          [
            shellStep(1, racer('a')),
            shellStep(2, racer('b')),
            shellStep(3, 'echo $$ > join.pid; while [ ! -e release ]; do sleep 0.05; done; echo "{{race.step}}:{{race.output}}"', { dependencies: [1, 2], race: [1, 2] }),
          ],
          'race crash',
        ),
      ),
    );
    const { process: engine, runId: runIdPromise, exited } = crash.start(workflowFile);
    const runId = await runIdPromise;
    await waitUntil(() => existsSync(join(crash.work, 'counter')) && readFileSync(join(crash.work, 'counter'), 'utf8').split('\n').length > 2, 'both racers to start', 30_000);
    writeFileSync(join(crash.work, 'go-b'), '');
    // The loser is written cancelled once its process is gone, which may be after the join started.
    await waitUntil(() => stepStatus(runId, 3) === 'running' && existsSync(join(crash.work, 'join.pid')) && stepStatus(runId, 1) === 'cancelled', 'the join to run and the loser to be stopped', 30_000);
    engine.kill('SIGKILL');
    await exited;

    // Were the race decided again by who succeeds first, the loser would win now.
    writeFileSync(join(crash.work, 'go-a'), '');
    writeFileSync(join(crash.work, 'release'), '');
    const recovered = await crash.recover();
    await recovered.call('runs.resume', { runId });
    expect(await recovered.waitForRun(runId)).toBe('succeeded');
    const detail = await recovered.call('runs.get', { runId });
    expect(stepOf(detail, 3)).toMatchObject({ status: 'succeeded', output: '2:answer-b', attempts: 2 });
    expect(stepOf(detail, 1)).toMatchObject({ status: 'cancelled', attempts: 1, error: 'lost the race to step 2' });
    expect(stepOf(detail, 2)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(readFileSync(join(crash.work, 'counter'), 'utf8').trim().split('\n').sort()).toEqual(['a', 'b']);
  });
});
