import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ptyHostPid } from '../../../electron/engine/terminals/pty-host.js';
import type { TerminalInfo } from '../../../shared/terminals.js';
import { buildSpawner } from '../../../scripts/build-pty-spawner.js';
import { makeTempDir, removeDir, runToEnd, shellStep, useSandbox } from '../helpers.js';

/**
 * On macOS the pty host in C waits with select(), since poll() does not watch a pty there
 * (pty-spawner-poll.c). No Mac runs these tests, so that build is made here
 * (PHOTON_PTY_HOST_SELECT) and must drive terminals as the default build does: typing and its
 * echo, an exit code, and a flood read whole and in order.
 */
describe.runIf(process.platform === 'linux')('the pty host built to wait with select()', () => {
  const buildDir = makeTempDir('pty-host-select');
  const binary = join(buildDir, 'photon-pty-spawner');
  const chosenBefore = process.env.PHOTON_PTY_SPAWNER;

  beforeAll(() => {
    const built = buildSpawner({ binary, compiler: `${process.env.CC || 'cc'} -DPHOTON_PTY_HOST_SELECT`, force: true });
    if (!built.built) throw new Error(`could not build the select() host: ${built.reason}`);
    process.env.PHOTON_PTY_SPAWNER = binary;
  });
  afterAll(() => {
    if (chosenBefore === undefined) delete process.env.PHOTON_PTY_SPAWNER;
    else process.env.PHOTON_PTY_SPAWNER = chosenBefore;
    removeDir(buildDir);
  });

  const sandbox = useSandbox('pty-host-select');

  async function ended(id: string): Promise<TerminalInfo> {
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
      const terminal = (await sandbox.engine.call('terminals.list', undefined)).find((t) => t.id === id);
      if (terminal?.status === 'exited') return terminal;
    }
    throw new Error(`terminal ${id} did not end`);
  }

  it('echoes what is typed, and reports the exit code the program chose', async () => {
    const terminal = await sandbox.engine.call('terminals.create', { command: 'read line; echo "got:$line"; exit 7', cwd: sandbox.work });
    expect(readlinkSync(`/proc/${ptyHostPid()}/exe`)).toBe(binary);
    await sandbox.engine.call('terminals.write', { id: terminal.id, data: 'hello\r' });
    expect((await ended(terminal.id)).exitCode).toBe(7);
    const screen = (await sandbox.engine.call('terminals.attach', { id: terminal.id })).scrollback;
    expect(screen).toContain('hello\r\n');
    expect(screen).toContain('got:hello');
  });

  it("reads a step's flood whole and in order", async () => {
    const { runId, status } = await runToEnd(sandbox, [shellStep(1, 'seq 1 200000')]);
    expect(status).toBe('succeeded');
    expect(readlinkSync(`/proc/${ptyHostPid()}/exe`)).toBe(binary);
    const lines = readFileSync(join(sandbox.dataDir, 'runs', runId, 'step-1', 'attempt-1.log'), 'utf8').split('\r\n');
    expect(lines.slice(0, 200_000)).toEqual(Array.from({ length: 200_000 }, (_, i) => String(i + 1)));
  });
});
