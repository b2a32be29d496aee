/**
 * A step's output beyond what the engine keeps in memory (1 MiB of terminal text): later steps and
 * the run's page get its end, opened by a notice that says so and names the full log on disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runToEnd, shellStep, stepOf, useSandbox } from '../helpers.js';

const kept = 1024 * 1024;
const notice = /^\[output truncated to its last 1048576 characters; the full log is (\/\S+)\]\n/;

describe('output beyond what is kept', () => {
  const sandbox = useSandbox('output-truncation', { loginShell: false });

  // Between one and two times the limit (1.5 MB through the terminal) and far beyond it (3.1 MB).
  for (const last of [200_000, 400_000]) {
    it(`keeps the end of ${last} lines and says it cut the rest, naming the full log`, async () => {
      const { status, detail } = await runToEnd(sandbox, [shellStep(1, `seq 1 ${last}`)]);
      expect(status).toBe('succeeded');
      const output = stepOf(detail, 1).output!;
      const match = notice.exec(output);
      expect(match, output.slice(0, 120)).not.toBeNull();
      const body = output.slice(match![0].length);
      expect(body.length).toBeLessThanOrEqual(kept);
      expect(body.length).toBeGreaterThan(kept / 2);
      expect(body.endsWith(`\n${last - 1}\n${last}`)).toBe(true);
      // The log holds all of it, the first line included.
      const log = match![1]!;
      expect(existsSync(log)).toBe(true);
      const lines = readFileSync(log, 'utf8').split(/\r?\n/);
      expect(lines).toContain('1');
      expect(lines).toContain(String(last));
    }, 60_000);
  }

  it('gives output that fits whole, with no notice', async () => {
    const { detail } = await runToEnd(sandbox, [shellStep(1, 'seq 1 1000')]);
    const output = stepOf(detail, 1).output!;
    expect(output.startsWith('1\n2\n3\n')).toBe(true);
    expect(output.endsWith('\n1000')).toBe(true);
  });
});
