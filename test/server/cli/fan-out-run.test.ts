import * as pty from 'node-pty';
import { afterAll, describe, expect, it } from 'vitest';
import { photon, photonBin, repoRoot, tempFolder, writeWorkflow } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());

describe('photon run with a fan-out step', () => {
  it("prints its items' progress as they start and end, and the items that failed", async () => {
    const file = writeWorkflow(temp.dir, 'Files', [
      { step: 1, command: `printf '["a", "b", "c", "d", "e"]'`, output: 'json', label: 'List' },
      { step: 2, command: 'sleep 0.1; [ {{item}} != c ] || exit 1; echo {{item}}', dependencies: [1], forEach: '{{steps.1.json}}', maxParallel: 2, label: 'Each file' },
    ]);
    const result = await photon(['run', file, '--data-dir', temp.dataDir]);
    expect(result.code).toBe(1);
    const progress = result.stdout.split('\n').filter((line) => line.includes('step 2 "Each file" fan-out'));
    // A line whenever the items' counts change (an item's end and the next one's start, made in one
    // turn of the engine, are one change); the last end is the step's failure. Never more than
    // maxParallel running, and the counts only move forward.
    const counts = progress.map((line) => / fan-out (\d)\/5 succeeded(?:, (\d) failed)?, (\d) running$/.exec(line));
    expect(counts.every((match) => match !== null)).toBe(true);
    const ended = counts.map((match) => Number(match![1]) + Number(match![2] ?? 0));
    expect(ended).toEqual([...ended].sort((a, b) => a - b));
    expect(new Set(progress.map((line) => line.replace(/^\S+/, ''))).size).toBe(progress.length);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress[0]).toMatch(/ {2}step 2 "Each file" fan-out 0\/5 succeeded, [12] running$/);
    expect(progress.some((line) => / fan-out [0-4]\/5 succeeded, 1 failed, [12] running$/.test(line))).toBe(true);
    expect(progress.filter((line) => / [3-9] running$/.test(line))).toEqual([]);
    expect(result.stdout).toMatch(/ {2}step 2 "Each file" failed \(1 of 5 items failed: item 2 \(exited with code 1\); 5 attempts\)\n/);

    // `photon show` says how its items ended.
    const runId = /run (\w+) failed:/.exec(result.stdout)![1]!;
    const shown = await photon(['show', runId, '--data-dir', temp.dataDir]);
    expect(shown.stdout).toContain('\n  fan-out      step 2: 4/5 succeeded, 1 failed\n');
  });

  it('says how many items a succeeded fan-out ran; --json gives its counts and its list', async () => {
    const file = writeWorkflow(temp.dir, 'Three', [{ step: 1, command: 'echo {{item}}', forEach: [1, 2, 3] }]);
    const result = await photon(['run', file, '--data-dir', temp.dataDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ {2}step 1 succeeded \(\d+(ms|\.\d+s|s); 3 items\)\n/);

    const json = await photon(['run', file, '--json', '--data-dir', temp.dataDir]);
    const step = (JSON.parse(json.stdout) as { steps: { output: string; items: unknown }[] }).steps[0]!;
    expect(step.items).toEqual({ total: 3, pending: 0, running: 0, succeeded: 3, failed: 0, cancelled: 0 });
    expect(JSON.parse(step.output)).toEqual(['1', '2', '3']);
  });
});

describe('photon run with a fan-out step, on a terminal', () => {
  it("shows the running fan-out's items in its live line", async () => {
    const file = writeWorkflow(temp.dir, 'Items on a terminal', [{ step: 1, command: 'sleep 0.5; echo {{item}}', label: 'Each', forEach: ['a', 'b', 'c', 'd'], maxParallel: 2 }]);
    const env = { ...process.env, TERM: 'xterm-256color' } as Record<string, string>;
    delete env.PHOTON_DATA_DIR;
    const term = pty.spawn(process.execPath, [photonBin, 'run', file, '--data-dir', temp.dataDir], { cols: 100, rows: 30, cwd: repoRoot, env });
    let screen = '';
    term.onData((data) => (screen += data));
    const exitCode = await new Promise<number>((resolve) => term.onExit(({ exitCode: code }) => resolve(code)));

    expect(exitCode).toBe(0);
    expect(screen).toMatch(/▶ step 1 "Each"  fan-out [0-3]\/4 succeeded, [12] running/);
    expect(screen).not.toMatch(/▶ step 1 "Each"  attempt/);
  });
});
