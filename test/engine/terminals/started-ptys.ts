import { tmpdir } from 'node:os';
import { afterEach } from 'vitest';
import { spawnPty, type ExitInfo, type PtyProcess } from '../../../electron/engine/terminals/index.js';

/** This test process's environment, as a terminal is given one. */
export const testEnv = { ...(process.env as Record<string, string>) };

export interface StartedPty {
  child: PtyProcess;
  /** Everything it printed so far. */
  output(): string;
  exited: Promise<ExitInfo>;
}

/**
 * A test file's way to start terminals: each started one is killed after its test, whatever the
 * test left running. Call at the top of the file (it registers the afterEach).
 */
export function ptyStarter(): (file: string, args: string[], options?: { cwd?: string; env?: Record<string, string>; spawn?: typeof spawnPty }) => StartedPty {
  const started: PtyProcess[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((child) => child.kill(200)));
  });
  return (file, args, options = {}) => {
    const child = (options.spawn ?? spawnPty)({ file, args, cwd: options.cwd ?? tmpdir(), env: options.env ?? testEnv });
    started.push(child);
    let output = '';
    child.onData((data) => void (output += data));
    const exited = new Promise<ExitInfo>((resolve) => child.onExit(resolve));
    return { child, output: () => output, exited };
  };
}
