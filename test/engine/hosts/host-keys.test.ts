/**
 * Host keys are the user's call: an unknown key fails the step with the key's fingerprint and the
 * command that accepts it, `hosts.list` shows it, a wrong fingerprint accepts nothing, the right one
 * lets the step run; a key that changes afterwards is refused, shown beside the old one, and
 * replaces it only when the user says so with exactly the new key's fingerprint.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellStep, stepOf, workflowOf } from '../helpers.js';
import { hostName, remoteTestTimeoutMs, useRemoteHost } from './remote-host-fixture.js';
import { sshdAvailable } from './sshd.js';

describe.skipIf(!sshdAvailable)('host keys', { timeout: remoteTestTimeoutMs }, () => {
  const sandbox = useRemoteHost('hosts-keys', { trusted: false });

  const runRemote = async (command: string) => {
    const { runId } = await sandbox.engine.call('runs.start', { workflow: workflowOf([shellStep(1, command, { host: hostName })]), baseDir: sandbox.work });
    await sandbox.engine.waitForRun(runId);
    return stepOf(await sandbox.engine.call('runs.get', { runId }), 1);
  };

  it('refuses an unknown host key, showing its fingerprint, until the user accepts exactly that key', async () => {
    const fingerprint = sandbox.sshd.hostKeyFingerprint;
    const refused = await runRemote('echo ran');
    expect(refused.status).toBe('failed');
    expect(refused.error).toBe(
      `host "box": its host key is not known. It presents ED25519 ${fingerprint}; if that is your server's key, accept it with: photon hosts trust box --fingerprint ${fingerprint}`,
    );
    const [listed] = await sandbox.engine.call('hosts.list', undefined);
    expect(listed).toMatchObject({ name: 'box', status: 'unknown_key', presentedKey: { type: 'ED25519', fingerprint } });

    expect(await sandbox.engine.call('hosts.trust', { name: hostName })).toEqual({ trusted: false, type: 'ED25519', fingerprint });
    await expect(sandbox.engine.call('hosts.trust', { name: hostName, fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })).rejects.toThrow(/presents ED25519 .*, not SHA256:AAAA.*nothing was trusted/);
    expect((await runRemote('echo ran')).status).toBe('failed');

    expect(await sandbox.engine.call('hosts.trust', { name: hostName, fingerprint })).toEqual({ trusted: true, type: 'ED25519', fingerprint });
    const ran = await runRemote('echo ran');
    expect([ran.status, ran.output]).toEqual(['succeeded', 'ran']);
    const [healthy] = await sandbox.engine.call('hosts.list', { check: true });
    expect(healthy).toMatchObject({ status: 'connected', lastError: null, presentedKey: null });
    expect(healthy!.latencyMs).toEqual(expect.any(Number));
  });

  it('refuses a host whose key changed after it was trusted, shows both keys, and replaces the old one only when asked to with the new one', async () => {
    const oldFingerprint = sandbox.sshd.hostKeyFingerprint;
    await sandbox.engine.call('hosts.trust', { name: hostName, fingerprint: oldFingerprint });
    expect((await runRemote('echo ran')).status).toBe('succeeded');
    // A new connection must be made to meet the new key: the shared one is closed as the app's restart would.
    await sandbox.engine.close();
    const newFingerprint = await sandbox.sshd.replaceHostKey();
    await sandbox.restartEngine();
    const refused = await runRemote('echo ran');
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/^host "box": its host key CHANGED since it was trusted, so Photon refuses to connect/);
    expect(refused.error).toContain(`check its new key ED25519 ${newFingerprint} with its administrator, then replace the old one in Settings → Remote hosts, or with: photon hosts trust box --fingerprint ${newFingerprint} --replace`);
    const [changed] = await sandbox.engine.call('hosts.list', { check: true });
    expect(changed).toMatchObject({ status: 'changed_key', presentedKey: { type: 'ED25519', fingerprint: newFingerprint, replaces: [oldFingerprint] } });
    await expect(sandbox.engine.call('hosts.trust', { name: hostName, fingerprint: newFingerprint })).rejects.toThrow(/already has another key .*never replaced silently/);
    expect((await runRemote('echo ran')).status).toBe('failed');

    // Replacing takes exactly the key the host presents: another fingerprint changes nothing.
    await expect(sandbox.engine.call('hosts.trust', { name: hostName, fingerprint: oldFingerprint, replace: true })).rejects.toThrow(`presents ED25519 ${newFingerprint}, not ${oldFingerprint}: nothing was replaced`);
    expect((await runRemote('echo ran')).status).toBe('failed');
    expect(await sandbox.engine.call('hosts.trust', { name: hostName, fingerprint: newFingerprint, replace: true })).toEqual({ trusted: true, type: 'ED25519', fingerprint: newFingerprint });
    const [replaced] = await sandbox.engine.call('hosts.list', undefined);
    expect(replaced).toMatchObject({ status: 'connected', presentedKey: null, lastError: null });
    const ran = await runRemote('echo ran');
    expect([ran.status, ran.output]).toEqual(['succeeded', 'ran']);
    // The old key is gone from Photon's known_hosts, backup included: one line, the new key.
    const knownHosts = join(sandbox.dataDir, 'ssh', 'known_hosts');
    expect(readFileSync(knownHosts, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(existsSync(`${knownHosts}.old`)).toBe(false);
  });
});
