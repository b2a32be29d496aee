import { describe, expect, it, vi } from 'vitest';
import { spawnPty, type ExitInfo } from '../../../electron/engine/terminals/pty-process.js';

/**
 * A process's environment reaches the pty host as changes to one it holds: the engine's own
 * variables, the same for every step, are sent once, not with every process started. What each
 * process gets is still exactly its own environment.
 */
const toHost = vi.hoisted(() => ({ bytes: 0 }));
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>();
  // Counts what the engine writes to its pty host: photon-pty-spawner --host, or pty-host-main.js.
  const spawn = ((...args: Parameters<typeof actual.spawn>) => {
    const child = actual.spawn(...args);
    const argv = Array.isArray(args[1]) ? (args[1] as string[]) : [];
    if (argv.some((arg) => arg.endsWith('pty-host-main.js')) || (String(args[0]).endsWith('photon-pty-spawner') && argv.includes('--host'))) {
      const stdin = child.stdin!;
      const write = stdin.write.bind(stdin) as (chunk: Buffer, ...rest: unknown[]) => boolean;
      stdin.write = ((chunk: Buffer, ...rest: unknown[]) => {
        toHost.bytes += chunk.length;
        return write(chunk, ...rest);
      }) as typeof stdin.write;
    }
    return child;
  }) as typeof actual.spawn;
  return { ...actual, spawn, default: { ...actual, spawn } };
});

/** Runs `env` in a terminal with `env` as its whole environment; what it printed, as variables. */
async function environmentSeen(env: Record<string, string>): Promise<Record<string, string>> {
  const child = spawnPty({ file: '/usr/bin/env', args: [], cwd: '/tmp', env });
  let output = '';
  child.onData((data) => (output += data));
  const exit = await new Promise<ExitInfo>((resolve) => child.onExit(resolve));
  expect(exit).toEqual({ exitCode: 0, signal: null });
  const seen: Record<string, string> = {};
  for (const line of output.split(/\r?\n/)) {
    const at = line.indexOf('=');
    if (at > 0) seen[line.slice(0, at)] = line.slice(at + 1);
  }
  return seen;
}

/** What node-pty adds to every terminal's environment. */
const terminalVariables = { PWD: '/tmp', TERM: 'xterm-256color' };

/** An environment the size of a developer's (about 10 KB). */
const large: Record<string, string> = { PATH: '/usr/bin:/bin' };
for (let i = 0; i < 100; i++) large[`PHOTON_TEST_VARIABLE_${i}`] = `value ${i} `.padEnd(80, 'x');
const largeBytes = Buffer.byteLength(JSON.stringify(large));

describe('the environment of a process started by the pty host', () => {
  it('is exactly its own, whether it adds to, changes, removes from or replaces the one the host holds', async () => {
    const base = { ...large, STEP: '1', GONE_LATER: 'here' };
    expect(await environmentSeen(base)).toEqual({ ...base, ...terminalVariables });
    const { GONE_LATER: _gone, ...changed } = { ...base, STEP: '2', ADDED: 'new', PHOTON_TEST_VARIABLE_7: 'changed' };
    expect(await environmentSeen(changed)).toEqual({ ...changed, ...terminalVariables });
    // Altogether another environment (a terminal the user opens beside the steps).
    const other = { PATH: '/usr/bin:/bin', HOME: '/tmp', ONLY_HERE: 'yes' };
    expect(await environmentSeen(other)).toEqual({ ...other, ...terminalVariables });
    expect(await environmentSeen(base)).toEqual({ ...base, ...terminalVariables });
  });

  it('goes to the host once, not with every process: a spawn sends its own variables only', async () => {
    await environmentSeen({ ...large, STEP: 'first' });
    toHost.bytes = 0;
    const spawns = 20;
    for (let step = 1; step <= spawns; step++) await environmentSeen({ ...large, STEP: String(step), TMPDIR: `/tmp/step-${step}` });
    // A spawn request without the environment is a few hundred bytes; with it, the whole 10 KB each time.
    expect(toHost.bytes).toBeGreaterThan(0);
    expect(toHost.bytes / spawns).toBeLessThan(1000);
    expect(largeBytes).toBeGreaterThan(9000);
  });
});
