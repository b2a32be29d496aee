// An AI step running as an ACP session while another program holds the database's write lock past
// the busy timeout (a real second connection on the real file): the conversation's saves are
// refused. The engine stays up, the session goes on, and once the lock is gone the conversation is
// kept whole, what was said while it was held included.
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import type { SessionEntry } from '../../../shared/sessions.js';
import { makeTempDir, removeDir, startEngine, waitUntil } from '../helpers.js';
import { standInAgent } from '../sessions/stand-in.js';
import { connectionOf } from '../sqlite-connection.js';

/** The highest "tick N" the agent's message says (the stand-in's `slow` prompt says one every 50 ms). */
function lastTick(entries: readonly SessionEntry[]): number {
  const text = entries.map((entry) => (entry?.type === 'message' && entry.role === 'agent' ? entry.text : '')).join('');
  return Math.max(-1, ...[...text.matchAll(/tick (\d+)/g)].map((match) => Number(match[1])));
}

describe('a session step while the database is locked', () => {
  let root = '';
  let engine: Engine | undefined;
  let other: Database.Database | undefined;
  afterEach(async () => {
    other?.close();
    await engine?.close();
    engine = undefined;
    removeDir(root);
  });

  it('goes on, and keeps its whole conversation once the lock is gone', async () => {
    root = makeTempDir('session-locked');
    const bin = join(root, 'bin');
    mkdirSync(bin);
    const adapter = join(bin, 'claude-agent-acp');
    writeFileSync(adapter, `#!/bin/sh\nexec "${process.execPath}" "${standInAgent}" "$@"\n`);
    chmodSync(adapter, 0o755);
    const dataDir = join(root, 'data');
    engine = await startEngine(dataDir, { env: { ...process.env, PATH: `${bin}:/usr/bin:/bin` }, loginShell: false });
    const entries: SessionEntry[] = [];
    engine.on('session.entry', ({ index, entry }) => (entries[index] = entry));

    const workflow = { name: 'slow session', workflow: [{ step: 1, platform: 'claude-code', inputs: { prompt: 'slow' }, dependencies: [] }] };
    const { runId } = await engine.call('runs.start', { workflow, baseDir: root });
    await waitUntil(() => lastTick(entries) >= 2, 'the agent to speak', 30_000);
    const file = join(dataDir, 'photon.db');
    const db = await connectionOf(file, () => engine!.call('runs.list', {}));
    // Once the run has written all it writes while the agent talks (the process it runs, for recovery):
    // a write of the run's own refused would end the run (history-locked.test.ts), not this test's point.
    const recorded = db.prepare('SELECT process FROM attempts WHERE run_id = ?').pluck();
    await waitUntil(() => recorded.get(runId) !== null, "the agent's process to be recorded", 30_000);

    // Held off a little, not the engine's 5 s: the lock is held through several saves (one each 250 ms of talk).
    db.pragma('busy_timeout = 50');
    other = new Database(file);
    other.prepare('BEGIN IMMEDIATE').run();
    const lockedAt = lastTick(entries);
    await waitUntil(() => lastTick(entries) >= lockedAt + 20, 'the agent to go on while the database is locked', 30_000);
    const saidWhileLocked = lastTick(entries);
    other.prepare('ROLLBACK').run();

    await engine.call('runs.cancel', { runId });
    await engine.waitForRun(runId);
    const [info] = await engine.call('sessions.list', { runId });
    const stored = await engine.call('sessions.get', { id: info!.id });
    expect(lastTick(stored.entries)).toBeGreaterThanOrEqual(saidWhileLocked);
  }, 90_000);
});
