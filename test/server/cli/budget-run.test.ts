/**
 * `photon run` with a budget and with --max-agents, against the Claude Code stand-in: the run says
 * which step waits and why, and how to answer from another terminal; `--max-agents 1` holds the
 * second AI step until the first has ended, and says so.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as pty from 'node-pty';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { photon, photonBin, repoRoot, startPhoton, tempFolder, waitUntil } from './helpers.js';

const temp = tempFolder();
const bin = join(temp.dir, 'bin');
const env = { PATH: `${bin}:/usr/bin:/bin`, SHELL: '', HOME: temp.dir, ANTHROPIC_API_KEY: 'sk-ant-cli', PHOTON_STANDIN_DELAY_MS: '1' };
let running: ReturnType<typeof startPhoton> | undefined;

beforeAll(() => {
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync(join(repoRoot, 'test', 'fixtures', 'tools', 'claude'), join(bin, 'claude'));
});
afterEach(async () => {
  if (running && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGINT');
    await running.done;
  }
  running = undefined;
});
afterAll(() => temp.cleanup());

const step = (n: number, label: string, dependencies: number[] = []) => ({ step: n, label, platform: 'claude-code', inputs: { prompt: label }, dependencies });

const waits = /Step 2 \(Build\) waits: The run's budget is reached: \$0\.0123 of \$0\.0100 spent\. Approve to go on up to \$0\.0200, or reject to fail the AI steps waiting for it\. Approve from any terminal: photon approve (\S+) --data-dir \S+ {2}or reject: photon deny \S+ --data-dir \S+$/m;

describe('photon run with a budget', () => {
  it('says which step waits for the budget and how to answer; approved from another terminal, the run goes on', { timeout: 120_000 }, async () => {
    const file = join(temp.dir, 'budgeted.json');
    writeFileSync(file, JSON.stringify({ name: 'budgeted', budget: { costUsd: 0.01 }, workflow: [step(1, 'Plan'), step(2, 'Build', [1])] }));
    const data = ['--data-dir', temp.dataDir];
    const run = startPhoton(['run', file, ...data], { env });
    running = run;
    await waitUntil(() => waits.test(run.stdout()), 60_000, 'the budget to wait').catch((error: unknown) => {
      throw new Error(`${String(error)}; photon run said: ${run.stdout()}${run.stderr()}`);
    });
    // In the order it happened: the step whose spending reached the budget, the step held, then the question.
    const said = run.stdout();
    expect(said).toMatch(/step 2 "Build" waiting: a budget is reached, and going on needs your OK \(photon approvals\)/);
    expect(said.indexOf('step 1 "Plan" succeeded')).toBeGreaterThan(-1);
    expect(said.indexOf('step 1 "Plan" succeeded')).toBeLessThan(said.indexOf('Step 2 (Build) waits'));
    // Another terminal sees why, from the database.
    const runId = /run (\S+) started/.exec(run.stdout())![1]!;
    const shown = (await photon(['show', runId, ...data], { env })).stdout;
    expect(shown).toMatch(/^ +2 +pending \(budget\) +0 +- +- +Build$/m);
    const [, id] = waits.exec(run.stdout())!;
    expect((await photon(['approve', id!, ...data], { env })).code).toBe(0);
    const done = await run.done;
    expect(done.stdout).toContain('Step 2 (Build): approved by you');
    expect(done.code).toBe(0);
  });
});

describe('photon run --max-agents', () => {
  it('runs one AI agent at a time and says the other waits for a slot', { timeout: 120_000 }, async () => {
    const file = join(temp.dir, 'parallel.json');
    writeFileSync(file, JSON.stringify({ name: 'parallel', workflow: [step(1, 'One'), step(2, 'Two')] }));
    const done = await photon(['run', file, '--max-agents', '1', '--data-dir', temp.dataDir], { env });
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/step \d "(One|Two)" waiting for a free agent slot \(as many AI agents run as the cap allows\)/);
    expect((await photon(['run', file, '--max-agents', '0', '--data-dir', temp.dataDir], { env })).stderr).toMatch(/--max-agents/);
  });

  it('on a terminal, counts the step waiting for a slot beside the progress bar', async () => {
    const file = join(temp.dir, 'parallel-tty.json');
    writeFileSync(file, JSON.stringify({ name: 'parallel', workflow: [step(1, 'One'), step(2, 'Two')] }));
    // Each stand-in streams for about two seconds: the bar is drawn while one waits.
    const term = pty.spawn(process.execPath, [photonBin, 'run', file, '--max-agents', '1', '--data-dir', temp.dataDir], {
      cols: 120,
      rows: 30,
      cwd: repoRoot,
      env: { ...env, TERM: 'xterm-256color', PHOTON_STANDIN_DELAY_MS: '300' },
    });
    let screen = '';
    term.onData((data) => (screen += data));
    const exitCode = await new Promise<number>((resolve) => term.onExit(({ exitCode: code }) => resolve(code)));
    expect(exitCode).toBe(0);
    expect(screen).toMatch(/▶ 1 running  ⏸ 1 waiting for an agent slot/);
  }, 120_000);
});
