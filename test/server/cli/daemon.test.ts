/**
 * `photon daemon` as a real process: it writes its discovery file, and `photon schedules` in another
 * process finds it there and changes schedules through it, so the daemon fires a new schedule at
 * once; a second daemon on the same data folder is refused; stopped, it removes the file; killed,
 * the file it leaves does not stop commands from opening the data folder themselves.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shellStep, startEngine, workflowOf } from '../../engine/helpers.js';
import { photon, startDaemon as spawnDaemon, startPhoton, tempFolder, waitUntil, writeWorkflow } from './helpers.js';

let folder: ReturnType<typeof tempFolder>;
const daemons: ReturnType<typeof startPhoton>[] = [];

beforeEach(async () => {
  folder = tempFolder();
  // A saved workflow, as the app would have saved it.
  const engine = await startEngine(folder.dataDir);
  await engine.call('workflows.save', { workflow: workflowOf([shellStep(1, 'echo tick')], 'heartbeat') });
  await engine.close();
});
afterEach(async () => {
  for (const daemon of daemons.splice(0)) {
    if (daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill('SIGKILL');
    await daemon.done;
  }
  folder.cleanup();
});

const discovery = () => join(folder.dataDir, 'daemon.json');

async function startDaemon(): Promise<{ daemon: ReturnType<typeof startPhoton>; url: string }> {
  const daemon = spawnDaemon(folder.dataDir);
  daemons.push(daemon);
  const { url, pid } = await daemon.ready;
  expect(daemon.stderr()).toBe('');
  expect(pid).toBe(daemon.child.pid);
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  return { daemon, url };
}

function runOwners(workflowName: string): string[] {
  const db = new Database(join(folder.dataDir, 'photon.db'), { readonly: true });
  try {
    return db.prepare(`SELECT owner FROM runs WHERE workflow_name = ?`).pluck().all(workflowName) as string[];
  } finally {
    db.close();
  }
}

function scheduledRuns(): { id: string; trigger_kind: string; trigger_name: string }[] {
  const db = new Database(join(folder.dataDir, 'photon.db'), { readonly: true });
  try {
    return db.prepare(`SELECT id, trigger_kind, trigger_name FROM runs WHERE trigger_kind IS NOT NULL ORDER BY created_at`).all() as { id: string; trigger_kind: string; trigger_name: string }[];
  } finally {
    db.close();
  }
}

describe('photon daemon', () => {
  it('is found by `photon schedules` through its discovery file, and fires what it adds', { timeout: 180_000 }, async () => {
    const { daemon, url } = await startDaemon();

    const added = await photon(['schedules', 'add', 'heartbeat', '--cron', '* * * * * *', '--tz', 'UTC', '--name', 'every second', '--data-dir', folder.dataDir]);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`The Photon daemon at ${url} fires it.`);
    const id = /Added schedule ([0-9a-f]+) /.exec(added.stdout)![1]!;

    // The daemon fires it: it learnt of it from the command, not from a later look at the database.
    await waitUntil(() => scheduledRuns().length > 0, 30_000, 'a run started by the new schedule');
    const [first] = scheduledRuns();
    expect(first).toMatchObject({ trigger_kind: 'schedule', trigger_name: 'every second' });
    // `photon show` says what started it, in words and in JSON.
    const shown = await photon(['show', first!.id, '--data-dir', folder.dataDir]);
    expect(shown.stdout).toContain('  started by   schedule "every second"');
    const json = JSON.parse((await photon(['show', first!.id, '--json', '--data-dir', folder.dataDir])).stdout) as { trigger?: unknown };
    expect(json.trigger).toEqual({ kind: 'schedule', name: 'every second' });

    const listed = await photon(['schedules', '--data-dir', folder.dataDir]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${id}\\s+heartbeat\\s+every second\\s+\\* \\* \\* \\* \\* \\* \\(UTC\\)`));
    expect((await photon(['schedules', 'disable', id, '--data-dir', folder.dataDir])).stdout).toContain('Turned off schedule "every second" of heartbeat.');

    // `photon run` starts its run on the daemon too: the daemon's engine owns it.
    const file = writeWorkflow(folder.dir, 'from the command line', [{ step: 1, command: 'echo ran-by-daemon' }]);
    const ran = await photon(['run', file, '--data-dir', folder.dataDir]);
    expect(ran.stderr).not.toContain('Error');
    expect(ran.code).toBe(0);
    expect(runOwners('from the command line')).toEqual([expect.stringMatching(new RegExp(`^${daemon.child.pid}(:|$)`))]);

    // One daemon per data folder.
    const second = await photon(['daemon', '--port', '0', '--data-dir', folder.dataDir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`one already runs on ${folder.dataDir} (pid ${daemon.child.pid}, ${url})`);

    daemon.child.kill('SIGTERM');
    expect((await daemon.done).code).toBe(0);
    expect(existsSync(discovery())).toBe(false);
    // Without a daemon the command opens the data folder itself, and says what would fire it.
    const alone = await photon(['schedules', 'add', 'heartbeat', '--cron', '0 2 * * *', '--tz', 'UTC', '--data-dir', folder.dataDir]);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain('It fires while the desktop app or `photon daemon` runs on this data folder.');
  });

  it('left behind by a killed daemon, its discovery file does not stop commands', { timeout: 120_000 }, async () => {
    const { daemon } = await startDaemon();
    daemon.child.kill('SIGKILL');
    await daemon.done;
    expect(existsSync(discovery())).toBe(true);
    const listed = await photon(['schedules', 'list', '--data-dir', folder.dataDir]);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('No schedules or triggers.');
    const bad = await photon(['schedules', 'add', 'heartbeat', '--cron', '61 * * * *', '--tz', 'UTC', '--data-dir', folder.dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('photon schedules: cron "61 * * * *" is not valid (Invalid value for minute: 61); write five fields');
  });
});
