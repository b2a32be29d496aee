import { afterAll, describe, expect, it } from 'vitest';
import { photon, tempFolder } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());

describe('photon usage', () => {
  it('prints general help with every command and exits 0', async () => {
    const result = await photon(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['run', 'validate', 'runs', 'show', 'resume', 'serve']) expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('prints a command\'s help with its options', async () => {
    const result = await photon(['run', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: photon run FILE');
    expect(result.stdout).toContain('--concurrency N');
    expect(result.stdout).toContain('--data-dir DIR');
    expect((await photon(['help', 'show'])).stdout).toContain('Usage: photon show RUN_ID');
  });

  it('names an unknown command and suggests the fix, exit 2', async () => {
    const result = await photon(['rnu', 'x.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "rnu"');
    expect(result.stderr).toContain('`photon run`');
  });

  it('names an unknown flag and the fix, exit 2, before touching anything', async () => {
    const result = await photon(['runs', '--limt', '3', '--data-dir', temp.dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown option --limt');
    expect(result.stderr).toContain('did you mean --limit?');
    expect(result.stderr).toContain('photon runs --help');
  });

  it('refuses missing arguments, extra arguments and bad numbers, exit 2', async () => {
    const missing = await photon(['run']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing FILE');

    const extra = await photon(['show', 'a', 'b']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('unexpected argument "b"');

    const badNumber = await photon(['run', 'x.json', '--concurrency', 'lots']);
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toContain('--concurrency needs a whole number from 1 to 64');

    const noValue = await photon(['runs', '--limit']);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toContain('--limit needs a value');
  });

  it('exits 2 with help when called with no command', async () => {
    const result = await photon([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: photon <command>');
  });
});
