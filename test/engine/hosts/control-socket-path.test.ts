/**
 * The shared connection's socket fits in a unix socket's path whatever the data folder: the
 * master first listens at `FOLDER/%C.` and 16 random characters, so a control folder of 47 to 60
 * characters (a macOS "Application Support" data folder with a short user name) once failed every
 * step with ssh's "too long for Unix domain socket".
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import { makeTempDir, removeDir, shellStep, startEngine, stepOf, workflowOf } from '../helpers.js';
import { remoteTestTimeoutMs } from './remote-host-fixture.js';
import { sshdAvailable, startSshd, type TestSshd } from './sshd.js';

describe.skipIf(!sshdAvailable)('the control socket’s path', { timeout: remoteTestTimeoutMs }, () => {
  let root = '';
  let sshd: TestSshd | undefined;
  let engine: Engine | undefined;

  afterEach(async () => {
    await engine?.close();
    await sshd?.stop();
    removeDir(root);
  });

  it('a step runs on a host with a data folder whose control folder is 55 characters long', async () => {
    root = makeTempDir('ctl');
    const prefix = join(root, 'd');
    // DATA/ssh/ctl of 55 characters, short enough to have been used as it is.
    const dataDir = prefix + 'x'.repeat(55 - prefix.length - '/ssh/ctl'.length);
    expect(join(dataDir, 'ssh', 'ctl')).toHaveLength(55);
    mkdirSync(join(root, 'work'));
    sshd = await startSshd(join(root, 'sshd'));
    engine = await startEngine(dataDir, { loginShell: false, hosts: { sshConfig: sshd.clientConfig, userKnownHosts: false } });
    await engine.call('hosts.add', { name: 'box', address: sshd.url });
    await engine.call('hosts.trust', { name: 'box', fingerprint: sshd.hostKeyFingerprint });
    const { runId } = await engine.call('runs.start', { workflow: workflowOf([shellStep(1, 'echo on-the-host', { host: 'box' })]), baseDir: join(root, 'work') });
    await engine.waitForRun(runId);
    expect(stepOf(await engine.call('runs.get', { runId }), 1)).toMatchObject({ status: 'succeeded', error: null });
  });
});
