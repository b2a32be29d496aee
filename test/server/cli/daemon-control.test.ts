/**
 * `photon resume`, `cancel`, `approve` and `deny` with a real `photon daemon` on the data folder: each
 * finds it through its discovery file and acts through it, so the daemon's engine runs what is
 * resumed (it owns the run), stops what is cancelled (its processes gone) and hears the answers
 * to its gates, instead of the command opening the database with an engine of its own.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { photon, startPhoton, tempFolder, waitUntil, writeWorkflow } from './helpers.js';

let folder: ReturnType<typeof tempFolder>;
const started: ReturnType<typeof startPhoton>[] = [];

beforeEach(() => {
  folder = tempFolder();
});
afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
    await child.done;
  }
  folder.cleanup();
});

const data = () => ['--data-dir', folder.dataDir];

async function startDaemon(): Promise<number> {
  const daemon = startPhoton(['daemon', '--port', '0', ...data()]);
  started.push(daemon);
  const discovery = join(folder.dataDir, 'daemon.json');
  await waitUntil(() => existsSync(discovery) || daemon.child.exitCode !== null, 60_000, "the daemon's discovery file");
  expect(daemon.stderr()).toBe('');
  return daemon.child.pid!;
}

function runs(workflowName: string): { id: string; status: string; owner: string | null }[] {
  const db = new Database(join(folder.dataDir, 'photon.db'), { readonly: true });
  try {
    return db.prepare('SELECT id, status, owner FROM runs WHERE workflow_name = ? ORDER BY created_at').all(workflowName) as { id: string; status: string; owner: string | null }[];
  } finally {
    db.close();
  }
}

const ownedBy = (pid: number) => expect.stringMatching(new RegExp(`^${pid}(:|$)`));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('run control through a running photon daemon', () => {
  it('photon resume has the daemon resume the run; photon cancel stops a run there; photon deny answers its gate', { timeout: 240_000 }, async () => {
    const daemonPid = await startDaemon();

    // A run that fails until a file exists, run (through the daemon, as photon run does) and failed.
    const marker = join(folder.dir, 'fixed');
    const flaky = writeWorkflow(folder.dir, 'flaky', [{ step: 1, command: `test -f ${marker} && echo repaired` }]);
    expect((await photon(['run', flaky, ...data()])).code).toBe(1);
    const [failed] = runs('flaky');
    expect(failed).toMatchObject({ status: 'failed', owner: ownedBy(daemonPid) });

    writeFileSync(marker, '');
    const resumed = await photon(['resume', failed!.id.slice(0, 10), ...data()]);
    expect(resumed.stderr).not.toContain('Error');
    expect(resumed.code).toBe(0);
    // The daemon's engine ran it again, not one the command opened on the same database.
    expect(runs('flaky')).toEqual([{ id: failed!.id, status: 'succeeded', owner: ownedBy(daemonPid) }]);

    // A long step started through the daemon; cancelled from another terminal without --server.
    const pidFile = join(folder.dir, 'sleeper.pid');
    const slow = writeWorkflow(folder.dir, 'slow', [{ step: 1, command: `echo $$ > ${pidFile}; exec sleep 600` }]);
    const watching = startPhoton(['run', slow, ...data()]);
    started.push(watching);
    await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 60_000, 'the slow step to start');
    const sleeper = Number(readFileSync(pidFile, 'utf8').trim());
    const [running] = runs('slow');
    const cancelled = await photon(['cancel', running!.id, ...data()]);
    expect(cancelled.stderr).toBe('');
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toBe(`run ${running!.id} cancelled: 0 of 1 steps had succeeded; resume it with photon resume ${running!.id} --data-dir ${folder.dataDir}\n`);
    expect(alive(sleeper)).toBe(false);
    expect(runs('slow')[0]).toMatchObject({ status: 'cancelled', owner: ownedBy(daemonPid) });
    // The terminal that followed it sees it end.
    expect((await watching.done).code).not.toBe(0);

    // A gate in a daemon's run, denied from another terminal: the daemon hears it and the run fails.
    const gated = join(folder.dir, 'gated.json');
    writeFileSync(gated, JSON.stringify({ name: 'gated', workflow: [{ step: 1, label: 'Gate', platform: 'approval', inputs: { message: 'Ship it?' } }] }));
    const gateRun = startPhoton(['run', gated, ...data()]);
    started.push(gateRun);
    const waits = /photon deny (\S+)/;
    await waitUntil(() => waits.test(gateRun.stdout()), 60_000, 'the gate to wait');
    const denied = await photon(['deny', waits.exec(gateRun.stdout())![1]!, '--message', 'not today', ...data()]);
    expect(denied.code).toBe(0);
    const gateDone = await gateRun.done;
    expect(gateDone.stdout).toContain('rejected by you: not today');
    expect(runs('gated')).toEqual([expect.objectContaining({ status: 'failed', owner: ownedBy(daemonPid) })]);
  });

  it('without a daemon or --server, photon cancel says what it needs', { timeout: 60_000 }, async () => {
    const result = await photon(['cancel', 'abc', ...data()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no `photon daemon` runs on this data folder: give --server URL --api-key KEY');
  });
});
