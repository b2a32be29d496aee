import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hangupImmuneJob } from '../../engine/helpers.js';
import { photon, processAlive, startPhoton, tempFolder, waitUntil, writeWorkflow } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());

const readPid = (file: string) => Number(readFileSync(file, 'utf8').trim());

describe('photon run and Ctrl-C', () => {
  it('cancels the run, kills its processes (background jobs and one that left the session too), then exits 130', async () => {
    const stepPid = join(temp.dir, 'step.pid');
    const jobPid = join(temp.dir, 'job.pid');
    const setsidPid = join(temp.dir, 'setsid.pid');
    const setsidJob = `setsid sh -c 'echo $$ > ${setsidPid}; exec sleep 300' &`;
    const file = writeWorkflow(temp.dir, 'Long', [
      // The step's pid is written once its job is immune to the hang-up (only the group kill stops
      // it) and the other one is in a session of its own (only the search for the step's marks finds it).
      {
        step: 1,
        command: `${hangupImmuneJob(jobPid)} ${setsidJob} while [ ! -s ${jobPid} ] || [ ! -s ${setsidPid} ]; do sleep 0.01; done; echo $$ > ${stepPid}; sleep 300`,
      },
      { step: 2, command: 'true', dependencies: [1] },
    ]);
    const run = startPhoton(['run', file, '--data-dir', temp.dataDir]);
    await waitUntil(() => existsSync(stepPid) && readFileSync(stepPid, 'utf8').endsWith('\n'), 15_000, 'the step to start');
    expect(processAlive(readPid(stepPid))).toBe(true);

    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(processAlive(readPid(stepPid))).toBe(false);
    expect(processAlive(readPid(jobPid))).toBe(false);
    expect(processAlive(readPid(setsidPid))).toBe(false);
    expect(result.stdout).toContain('Ctrl-C: cancelling the run');
    const runId = /run (\w+) cancelled/.exec(result.stdout)?.[1];
    expect(runId).toBeDefined();

    const shown = await photon(['show', runId!, '--json', '--data-dir', temp.dataDir]);
    const json = JSON.parse(shown.stdout) as { status: string; steps: { status: string }[] };
    expect(json.status).toBe('cancelled');
    expect(json.steps.map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('a second Ctrl-C still waits until a step that ignores SIGTERM is dead', async () => {
    const stepPid = join(temp.dir, 'stubborn.pid');
    // perl ignores SIGTERM, so only the SIGKILL after the grace period stops it.
    const file = writeWorkflow(temp.dir, 'Stubborn', [
      { step: 1, command: `echo $$ > ${stepPid}; exec perl -e '$SIG{TERM} = "IGNORE"; $SIG{HUP} = "IGNORE"; sleep 300'` },
    ]);
    const run = startPhoton(['run', file, '--json', '--data-dir', temp.dataDir]);
    await waitUntil(() => existsSync(stepPid) && readFileSync(stepPid, 'utf8').endsWith('\n'), 15_000, 'the step to start');
    await new Promise((resolve) => setTimeout(resolve, 200));

    run.child.kill('SIGINT');
    await waitUntil(() => run.stderr().includes('cancelling the run'), 5000, 'the cancel note');
    run.child.kill('SIGINT');
    await waitUntil(() => run.stderr().includes('still stopping'), 5000, 'the second note');
    expect(run.child.exitCode).toBeNull();

    const result = await run.done;
    expect(result.code).toBe(130);
    expect(processAlive(readPid(stepPid))).toBe(false);
    expect((JSON.parse(result.stdout) as { status: string }).status).toBe('cancelled');
  });
});
