/**
 * A remote step's secret: read from the (real, private) keychain, sent through the ssh channel into
 * the remote process's environment and nowhere else. While the step runs, the value is in its
 * environment on the host and on no command line there, and no file in the host's temp folders
 * holds it; afterwards the attempt's log, the step's output and Photon's database show it redacted.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keychainReady } from '../agents/stand-in-engine.js';
import { waitUntil, workflowOf } from '../helpers.js';
import { hostName, remoteTestTimeoutMs, remoteProcesses, useRemoteHost } from './remote-host-fixture.js';
import { sshdAvailable } from './sshd.js';

/** Every file under the folders, as bytes (folders that vanish meanwhile are skipped). */
function filesUnder(folders: string[]): { path: string; bytes: Buffer }[] {
  const files: { path: string; bytes: Buffer }[] = [];
  for (const folder of folders) {
    let entries: string[];
    try {
      entries = readdirSync(folder, { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = join(folder, entry);
      try {
        if (statSync(path).isFile()) files.push({ path, bytes: readFileSync(path) });
      } catch {
        // Removed meanwhile.
      }
    }
  }
  return files;
}

describe.skipIf(!sshdAvailable || !keychainReady)('a remote step’s secret (real keychain: run through scripts/run-tests.js)', { timeout: remoteTestTimeoutMs }, () => {
  const sandbox = useRemoteHost('hosts-secret');

  it('is in the remote process’s environment only: on no command line, in no remote temp file, redacted in the log, output and database', async () => {
    const canary = `canary-${randomUUID()}`;
    const { engine } = sandbox;
    await engine.call('secrets.set', { name: 'REMOTE_TOKEN', value: canary });
    await engine.call('agents.save', {
      agent: { id: 'remote-shell', name: 'Remote shell', tool: 'shell', location: 'remote', host: hostName, secrets: [{ secret: 'REMOTE_TOKEN', variable: 'API_TOKEN' }] },
    });
    const ready = join(sandbox.work, 'secret-step-ready');
    // It writes into its own temp folder on the host, then waits to be looked at.
    const command = `echo "token=$API_TOKEN"; echo scratch > "$TMPDIR/scratch"; touch ${ready}; sleep 2; echo done`;
    const { runId } = await engine.call('runs.start', {
      workflow: workflowOf([{ step: 1, platform: 'shell', agent: 'remote-shell', inputs: { command }, dependencies: [] }]),
      baseDir: sandbox.work,
    });
    await waitUntil(() => statSync(ready, { throwIfNoEntry: false }) !== undefined, 'the remote step to run', 30_000);

    const running = remoteProcesses(sandbox.sshd, `${runId}-1-1`);
    const environments = running.map((pid) => readFileSync(`/proc/${pid}/environ`, 'latin1'));
    expect(environments.some((environ) => environ.split('\0').includes(`API_TOKEN=${canary}`))).toBe(true);
    for (const pid of running) expect(readFileSync(`/proc/${pid}/cmdline`, 'latin1')).not.toContain(canary);
    // The host's temp folders: the attempt's own (with what the step wrote there), and the rest of its /tmp that Photon uses.
    const remoteTemp = readdirSync(tmpdir())
      .filter((name) => name.startsWith('photon-attempt-') || name.startsWith('photon-ssh-'))
      .map((name) => join(tmpdir(), name));
    const remoteFiles = filesUnder(remoteTemp);
    expect(remoteFiles.some((file) => file.path.endsWith('/scratch'))).toBe(true);
    expect(remoteFiles.filter((file) => file.bytes.includes(canary)).map((file) => file.path)).toEqual([]);

    expect(await engine.waitForRun(runId)).toBe('succeeded');
    const step = await engine.call('steps.get', { runId, step: 1 });
    expect(step.output).toBe('token=[secret REMOTE_TOKEN]\ndone');
    // Photon's own files: the database, the attempt's log, the ssh folder.
    const local = filesUnder([sandbox.dataDir]);
    expect(local.some((file) => file.path.endsWith('attempt-1.log'))).toBe(true);
    expect(local.filter((file) => file.bytes.includes(canary)).map((file) => file.path)).toEqual([]);
  });
});
