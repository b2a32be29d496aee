/**
 * A remote host for engine tests: a real sshd (sshd.ts) started for each test, an engine whose
 * ssh uses the test's client config and only Photon's own known_hosts, the host added as `box`
 * and its key trusted. The "remote" processes are on this machine, so the tests can look at them
 * in /proc as the host's own administrator would.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import { makeTempDir, removeDir, startEngine } from '../helpers.js';
import { startSshd, type TestSshd } from './sshd.js';

export interface RemoteHostSandbox {
  root: string;
  dataDir: string;
  work: string;
  sshd: TestSshd;
  engine: Engine;
  /** Starts another engine on the same data (after the first one died); `cleanClonesAtStart` as a long-lived engine does. */
  restartEngine(options?: { cleanClonesAtStart?: boolean }): Promise<Engine>;
}

export const hostName = 'box';

/**
 * Each remote test starts sshd, an engine and ssh connections, and waits for remote processes: on a
 * loaded machine that takes longer than the suite's default limit, never on an idle one.
 */
export const remoteTestTimeoutMs = 120_000;

export function engineOptions(sshd: TestSshd, keychainService: string, cleanClonesAtStart?: boolean) {
  return { loginShell: false, keychainService, hosts: { sshConfig: sshd.clientConfig, userKnownHosts: false, cleanClonesAtStart } };
}

export function useRemoteHost(label: string, options: { trusted?: boolean; hostEnv?: Record<string, string> } = {}): RemoteHostSandbox {
  const sandbox = {} as RemoteHostSandbox;
  const engines: Engine[] = [];
  beforeEach(async () => {
    sandbox.root = makeTempDir(label);
    sandbox.dataDir = join(sandbox.root, 'data');
    sandbox.work = join(sandbox.root, 'work');
    mkdirSync(sandbox.work);
    sandbox.sshd = await startSshd(join(sandbox.root, 'sshd'), { env: options.hostEnv });
    const keychainService = `Photon-test-${randomUUID()}`;
    sandbox.engine = await startEngine(sandbox.dataDir, engineOptions(sandbox.sshd, keychainService));
    engines.push(sandbox.engine);
    sandbox.restartEngine = async (restart = {}) => {
      sandbox.engine = await startEngine(sandbox.dataDir, engineOptions(sandbox.sshd, keychainService, restart.cleanClonesAtStart));
      engines.push(sandbox.engine);
      return sandbox.engine;
    };
    await sandbox.engine.call('hosts.add', { name: hostName, address: sandbox.sshd.url });
    if (options.trusted !== false) await sandbox.engine.call('hosts.trust', { name: hostName, fingerprint: sandbox.sshd.hostKeyFingerprint });
  });
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close().catch(() => undefined);
    killRemote(sandbox.sshd);
    await sandbox.sshd?.stop();
    removeDir(sandbox.root);
  });
  return sandbox;
}

/**
 * Live processes of the test's "remote" side: those served by its sshd (`SSH_CONNECTION` names its
 * port) that carry an attempt's mark, optionally only marks starting with `markPrefix`.
 */
export function remoteProcesses(sshd: TestSshd, markPrefix = ''): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let variables: string[];
    try {
      variables = readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
    } catch {
      continue;
    }
    const served = variables.some((variable) => variable.startsWith('SSH_CONNECTION=') && variable.endsWith(` ${sshd.port}`));
    if (served && variables.some((variable) => variable.startsWith(`PHOTON_HOST_MARK=${markPrefix}`))) found.push(Number(entry));
  }
  return found;
}

/** What a failed test left on the "remote" side, so it does not outlive the test. */
function killRemote(sshd: TestSshd | undefined): void {
  if (!sshd) return;
  for (const pid of remoteProcesses(sshd)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}
