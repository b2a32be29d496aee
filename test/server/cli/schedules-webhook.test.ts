/**
 * `photon schedules trigger --webhook` prints an address only when it knows one: with no daemon on
 * the data folder it gives the path and says how to start one (it used to print port 7420, where
 * nothing of this folder's listens); with a real daemon on a port of its own choosing, the URL it
 * prints is the daemon's and a POST there starts the run.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shellStep, startEngine, workflowOf } from '../../engine/helpers.js';
import { photon, startDaemon, tempFolder } from './helpers.js';

let folder: ReturnType<typeof tempFolder>;
let daemon: ReturnType<typeof startDaemon> | undefined;

beforeEach(async () => {
  folder = tempFolder();
  const engine = await startEngine(folder.dataDir);
  await engine.call('workflows.save', { workflow: workflowOf([shellStep(1, 'echo hooked')], 'deploy') });
  await engine.close();
});
afterEach(async () => {
  if (daemon && daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill('SIGTERM');
  await daemon?.done;
  daemon = undefined;
  folder.cleanup();
});

const hookPath = (stdout: string) => /\/api\/v1\/hooks\/[0-9a-f]+/.exec(stdout)?.[0];
const secretOf = (stdout: string) => /^Secret: (\S+)$/m.exec(stdout)?.[1];

describe('photon schedules trigger --webhook', () => {
  it('without a daemon, prints the path and how to start one, and no made-up address', { timeout: 120_000 }, async () => {
    const added = await photon(['schedules', 'trigger', 'deploy', '--webhook', '--data-dir', folder.dataDir]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).not.toContain('127.0.0.1');
    expect(added.stdout).toMatch(/^Path: +\/api\/v1\/hooks\/[0-9a-f]+$/m);
    expect(secretOf(added.stdout)).toMatch(/^phwh_/);
    expect(added.stdout).toContain('No `photon daemon` runs on this data folder');
    expect(added.stdout).toContain(`  photon daemon --data-dir ${folder.dataDir}\n`);

    const listed = await photon(['schedules', '--data-dir', folder.dataDir]);
    expect(listed.stdout).not.toContain('127.0.0.1');
    expect(listed.stdout).toContain(hookPath(added.stdout)!);
    expect(listed.stdout).toContain('No `photon daemon` runs on this data folder');
  });

  it("with a daemon, prints the daemon's URL, where a POST with the secret starts the run", { timeout: 180_000 }, async () => {
    daemon = startDaemon(folder.dataDir);
    const { url } = await daemon.ready;

    const added = await photon(['schedules', 'trigger', 'deploy', '--webhook', '--data-dir', folder.dataDir]);
    expect(added.stderr).toBe('');
    const path = hookPath(added.stdout)!;
    expect(added.stdout).toContain(`URL:    ${url}${path}\n`);
    expect(added.stdout).toContain(`curl -X POST -H 'X-Photon-Secret: ${secretOf(added.stdout)}' ${url}${path}\n`);
    expect(added.stdout).not.toContain('No `photon daemon`');
    expect((await photon(['schedules', '--data-dir', folder.dataDir])).stdout).toContain(`${url}${path}`);

    const called = await fetch(`${url}${path}`, { method: 'POST', headers: { 'x-photon-secret': secretOf(added.stdout)! } });
    expect(called.status).toBe(202);
  });
});
