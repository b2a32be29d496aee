import * as pty from 'node-pty';
import { afterAll, describe, expect, it } from 'vitest';
import { photonBin, repoRoot, tempFolder, writeWorkflow } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());

describe('photon run on a terminal', () => {
  it('redraws a progress bar with counts and the running steps, then leaves the summary', async () => {
    const file = writeWorkflow(temp.dir, 'On a terminal', [
      { step: 1, command: 'sleep 0.4', label: 'Warm up' },
      { step: 2, command: 'sleep 0.6', label: 'Left', dependencies: [1] },
      { step: 3, command: 'sleep 0.6', label: 'Right', dependencies: [1] },
      { step: 4, command: 'exit 5', label: 'Flaky', dependencies: [1], retryPolicy: { maxAttempts: 2, initialIntervalMs: 300 } },
    ]);
    const env = { ...process.env, TERM: 'xterm-256color' } as Record<string, string>;
    delete env.PHOTON_DATA_DIR;
    const term = pty.spawn(process.execPath, [photonBin, 'run', file, '--data-dir', temp.dataDir], { cols: 100, rows: 30, cwd: repoRoot, env });
    let screen = '';
    term.onData((data) => (screen += data));
    const exitCode = await new Promise<number>((resolve) => term.onExit(({ exitCode: code }) => resolve(code)));

    expect(exitCode).toBe(1);
    expect(screen).toContain('\x1b[?25l');
    expect(screen).toMatch(/\x1b\[\d+A\r\x1b\[J/);
    expect(screen).toMatch(/\[█*░+\] +\d+%  \d\/4 done  ✓ \d/);
    expect(screen).toMatch(/▶ step 2 "Left"  attempt 1  \d+ms/);
    expect(screen).toMatch(/▶ \d running/);
    expect(screen).toContain('↻ step 4 "Flaky" retrying (attempt 1/2 exited with code 5');
    expect(screen).toContain('✗ step 4 "Flaky" failed (exited with code 5; 2 attempts)');
    expect(screen).toMatch(/\[█{10,}\] 100%  4\/4 done  ✓ 3  ✗ 1 failed/);
    expect(screen).toMatch(/✗ run \w+ failed: 3 succeeded, 1 failed of 4 steps in /);
    expect(screen.trimEnd().endsWith('\x1b[?25h')).toBe(true);
  });
});
