import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentsRepository, MetricsRepository, migrate, migrations, openDatabase, openStorage, schemaVersion, SpendRepository, type SqliteDatabase } from '../../../electron/engine/storage/index.js';
import { makeTempDir, removeDir, startEngine } from '../helpers.js';

/**
 * One test per migration: a database at the version before it, holding data in that version's
 * shape (written with raw SQL, as that version of Photon would have), upgraded by the migration.
 */

let root = '';
let file = '';
const open: SqliteDatabase[] = [];

beforeEach(() => {
  root = makeTempDir('migrations');
  mkdirSync(join(root, 'data'));
  file = join(root, 'data', 'photon.db');
});

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  removeDir(root);
});

function openAt(version: number): SqliteDatabase {
  const db = openDatabase(file, { targetVersion: version });
  open.push(db);
  expect(schemaVersion(db)).toBe(version);
  return db;
}

function migrateTo(db: SqliteDatabase, version: number): void {
  migrate(db, migrations, version);
  expect(schemaVersion(db)).toBe(version);
}

const definition = JSON.stringify({ name: 'old', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'echo hi' }, dependencies: [], continueOnFailure: false }] });

/** The version-1 shape: a finished run with its step and attempt, and a run left interrupted. */
function fillVersion1(db: SqliteDatabase): void {
  const run = db.prepare(
    `INSERT INTO runs (id, workflow_name, definition, status, concurrency, base_dir, owner, created_at, started_at, finished_at)
     VALUES (?, 'old', ?, ?, 4, '/tmp', NULL, ?, ?, ?)`,
  );
  run.run('run-a', definition, 'succeeded', '2025-01-01T10:00:00.000Z', '2025-01-01T10:00:00.000Z', '2025-01-01T10:00:01.000Z');
  run.run('run-b', definition, 'interrupted', '2025-01-02T10:00:00.000Z', '2025-01-02T10:00:00.000Z', '2025-01-02T10:00:05.000Z');
  db.prepare(
    `INSERT INTO steps (run_id, step, status, attempts, exit_code, started_at, finished_at, output, error)
     VALUES ('run-a', 1, 'succeeded', 1, 0, '2025-01-01T10:00:00.100Z', '2025-01-01T10:00:00.900Z', 'hi', NULL)`,
  ).run();
  db.prepare(`INSERT INTO steps (run_id, step, status) VALUES ('run-b', 1, 'pending')`).run();
  db.prepare(
    `INSERT INTO attempts (run_id, step, attempt, status, started_at, finished_at, exit_code, output_path, tail)
     VALUES ('run-a', 1, 1, 'succeeded', '2025-01-01T10:00:00.100Z', '2025-01-01T10:00:00.900Z', 0, '/data/runs/run-a/step-1/attempt-1.log', 'hi')`,
  ).run();
}

/** The version-2 shape: version 1's data, a saved workflow and a run of it. */
function fillVersion2(db: SqliteDatabase): void {
  fillVersion1(db);
  db.prepare(`INSERT INTO workflows (id, name, definition, created_at, updated_at) VALUES ('wf', 'old', ?, '2025-02-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z')`).run(definition);
  db.prepare(
    `INSERT INTO runs (id, workflow_id, workflow_name, definition, status, concurrency, base_dir, owner, created_at, started_at, finished_at)
     VALUES ('run-c', 'wf', 'old', ?, 'failed', 2, '/tmp', NULL, '2025-02-02T10:00:00.000Z', '2025-02-02T10:00:00.000Z', '2025-02-02T10:00:03.000Z')`,
  ).run(definition);
  db.prepare(`INSERT INTO steps (run_id, step, status, attempts, exit_code, error) VALUES ('run-c', 1, 'failed', 2, 1, 'exited with code 1')`).run();
  const attempt = db.prepare(
    `INSERT INTO attempts (run_id, step, attempt, status, started_at, finished_at, exit_code, output_path, tail)
     VALUES ('run-c', 1, ?, 'failed', ?, ?, 1, ?, 'boom')`,
  );
  attempt.run(1, '2025-02-02T10:00:00.000Z', '2025-02-02T10:00:01.000Z', '/data/runs/run-c/step-1/attempt-1.log');
  attempt.run(2, '2025-02-02T10:00:02.000Z', '2025-02-02T10:00:03.000Z', '/data/runs/run-c/step-1/attempt-2.log');
}

const migrationTests: Record<number, () => void | Promise<void>> = {
  1: () => {
    // From nothing: version 0 has no tables, only whatever else shares the file.
    const db = openAt(0);
    db.exec(`CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('kept');`);
    migrateTo(db, 1);
    expect(db.prepare('SELECT text FROM notes').pluck().all()).toEqual(['kept']);

    fillVersion1(db);
    expect(db.prepare('SELECT id, status FROM runs ORDER BY created_at DESC').all()).toEqual([
      { id: 'run-b', status: 'interrupted' },
      { id: 'run-a', status: 'succeeded' },
    ]);
    // Steps belong to runs and attempts to steps: deleting a run deletes both.
    expect(() => db.prepare(`INSERT INTO steps (run_id, step, status) VALUES ('no-run', 1, 'pending')`).run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`INSERT INTO steps (run_id, step, status) VALUES ('run-a', 1, 'pending')`).run()).toThrow(/UNIQUE|PRIMARY KEY/);
    db.prepare(`DELETE FROM runs WHERE id = 'run-a'`).run();
    expect(db.prepare(`SELECT COUNT(*) FROM steps WHERE run_id = 'run-a'`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT COUNT(*) FROM attempts WHERE run_id = 'run-a'`).pluck().get()).toBe(0);
  },

  2: async () => {
    const db = openAt(1);
    fillVersion1(db);
    migrateTo(db, 2);

    // The runs, steps and attempts survived, and old runs belong to no saved workflow.
    expect(db.prepare('SELECT id, status, workflow_id AS workflowId FROM runs ORDER BY id').all()).toEqual([
      { id: 'run-a', status: 'succeeded', workflowId: null },
      { id: 'run-b', status: 'interrupted', workflowId: null },
    ]);
    expect(db.prepare(`SELECT output FROM steps WHERE run_id = 'run-a'`).pluck().get()).toBe('hi');
    expect(db.prepare(`SELECT tail FROM attempts WHERE run_id = 'run-a'`).pluck().get()).toBe('hi');

    // Saved workflows work, and deleting one leaves its runs, unlinked.
    db.prepare(`INSERT INTO workflows (id, name, definition, created_at, updated_at) VALUES ('wf', 'old', ?, '2025-02-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z')`).run(definition);
    db.prepare(`UPDATE runs SET workflow_id = 'wf' WHERE id = 'run-a'`).run();
    expect(() => db.prepare(`UPDATE runs SET workflow_id = 'missing' WHERE id = 'run-b'`).run()).toThrow(/FOREIGN KEY/);
    db.prepare(`DELETE FROM workflows WHERE id = 'wf'`).run();
    expect(db.prepare(`SELECT workflow_id FROM runs WHERE id = 'run-a'`).pluck().get()).toBeNull();
    db.close();

    // The engine reads the upgraded history: both runs, the old one with its step and attempt.
    const engine = await startEngine(join(root, 'data'));
    try {
      expect((await engine.call('runs.list', {})).map((r) => [r.runId, r.status, r.workflowId])).toEqual([
        ['run-b', 'interrupted', null],
        ['run-a', 'succeeded', null],
      ]);
      const step = await engine.call('steps.get', { runId: 'run-a', step: 1 });
      expect(step).toMatchObject({ status: 'succeeded', output: 'hi', exitCode: 0 });
      expect(step.attemptHistory.map((a) => [a.attempt, a.status, a.tail])).toEqual([[1, 'succeeded', 'hi']]);
      const { id } = await engine.call('workflows.save', { workflow: JSON.parse(definition) });
      expect((await engine.call('workflows.get', { id })).name).toBe('old');
    } finally {
      await engine.close();
    }
  },

  3: async () => {
    const db = openAt(2);
    fillVersion2(db);
    migrateTo(db, 3);

    // Old rows survive, with no agent and no tool report.
    expect(db.prepare('SELECT id, workflow_id AS workflowId, status FROM runs ORDER BY id').all()).toEqual([
      { id: 'run-a', workflowId: null, status: 'succeeded' },
      { id: 'run-b', workflowId: null, status: 'interrupted' },
      { id: 'run-c', workflowId: 'wf', status: 'failed' },
    ]);
    expect(db.prepare(`SELECT step, status, attempts, agent_id AS agentId, agent_note AS agentNote FROM steps WHERE run_id = 'run-c'`).all()).toEqual([
      { step: 1, status: 'failed', attempts: 2, agentId: null, agentNote: null },
    ]);
    expect(
      db.prepare(`SELECT attempt, tail, agent_id AS agentId, platform, session_id AS sessionId, cost_usd AS cost FROM attempts WHERE run_id = 'run-c' ORDER BY attempt`).all(),
    ).toEqual([
      { attempt: 1, tail: 'boom', agentId: null, platform: null, sessionId: null, cost: null },
      { attempt: 2, tail: 'boom', agentId: null, platform: null, sessionId: null, cost: null },
    ]);

    // Agents can be saved, and what their attempts report adds up; old attempts count for no agent.
    const agents = new AgentsRepository(db);
    agents.upsert({ id: 'claude-fast', definition: '{"id":"claude-fast"}', createdAt: '2025-03-01T00:00:00.000Z', updatedAt: '2025-03-01T00:00:00.000Z' });
    expect(agents.list().map((a) => a.id)).toEqual(['claude-fast']);
    db.prepare(
      `INSERT INTO attempts (run_id, step, attempt, status, started_at, finished_at, exit_code, output_path, agent_id, platform, session_id, cost_usd, input_tokens, output_tokens)
       VALUES ('run-c', 1, 3, 'succeeded', '2025-03-02T10:00:00.000Z', '2025-03-02T10:00:02.000Z', 0, '/x.log', 'claude-fast', 'claude-code', 's-1', 0.25, 1000, 200)`,
    ).run();
    const history = agents.histories();
    expect([...history.keys()]).toEqual(['claude-fast']);
    expect(history.get('claude-fast')).toMatchObject({ finished: 1, succeeded: 1, failed: 0, costUsd: 0.25, inputTokens: 1000, outputTokens: 200 });
    expect(history.get('claude-fast')!.totalDurationMs).toBeCloseTo(2000, 0);
    db.close();

    // The engine reads the upgraded history.
    const engine = await startEngine(join(root, 'data'));
    try {
      expect((await engine.call('runs.list', {})).map((r) => r.runId)).toEqual(['run-c', 'run-b', 'run-a']);
      const step = await engine.call('steps.get', { runId: 'run-c', step: 1 });
      expect(step.attemptHistory.map((a) => [a.attempt, a.status])).toEqual([
        [1, 'failed'],
        [2, 'failed'],
        [3, 'succeeded'],
      ]);
    } finally {
      await engine.close();
    }
  },

  4: async () => {
    const db = openAt(3);
    fillVersion2(db);
    migrateTo(db, 4);

    // Saved workflows start unpinned; old attempts have no recorded peaks.
    expect(db.prepare(`SELECT id, pinned FROM workflows`).all()).toEqual([{ id: 'wf', pinned: 0 }]);
    expect(db.prepare(`SELECT attempt, peak_cpu_percent AS cpu, peak_rss_bytes AS rss FROM attempts WHERE run_id = 'run-c' ORDER BY attempt`).all()).toEqual([
      { attempt: 1, cpu: null, rss: null },
      { attempt: 2, cpu: null, rss: null },
    ]);
    db.close();

    // The engine pins the old workflow, and its run's timeline shows both old attempts in order.
    const engine = await startEngine(join(root, 'data'));
    try {
      expect(await engine.call('workflows.pin', { id: 'wf', pinned: true })).toEqual({ pinned: true });
      expect((await engine.call('workflows.list', {})).map((w) => [w.id, w.pinned])).toEqual([['wf', true]]);
      const timeline = await engine.call('runs.timeline', { runId: 'run-c' });
      expect(timeline.attempts.map((a) => [a.step, a.attempt, a.status, a.peakRssBytes])).toEqual([
        [1, 1, 'failed', null],
        [1, 2, 'failed', null],
      ]);
    } finally {
      await engine.close();
    }
  },

  5: async () => {
    const db = openAt(4);
    fillVersion2(db);
    migrateTo(db, 5);

    // No samples yet; the history is untouched and findable by time.
    expect(db.prepare(`SELECT COUNT(*) FROM metric_samples`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT COUNT(*) FROM metric_rollups`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT id, status FROM runs ORDER BY id`).all()).toEqual([
      { id: 'run-a', status: 'succeeded' },
      { id: 'run-b', status: 'interrupted' },
      { id: 'run-c', status: 'failed' },
    ]);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT COUNT(*) FROM attempts WHERE finished_at >= '2025-02-01'`).all() as { detail: string }[];
    expect(plan.map((row) => row.detail).join(' ')).toContain('attempts_by_finished');
    db.close();

    // The engine counts the old history, naming the tool from each run's definition (old attempts recorded none).
    const engine = await startEngine(join(root, 'data'));
    try {
      const from = Date.parse('2025-01-01T00:00:00.000Z');
      const to = Date.parse('2025-02-28T00:00:00.000Z');
      const started = await engine.call('metrics.series', { metric: 'runs.started', from, to, step: 86_400 });
      expect(started.series).toEqual([
        { labels: { workflow: 'old' }, points: [[from, 1], [from + 86_400_000, 1], [Date.parse('2025-02-02T00:00:00.000Z'), 1]] },
      ]);
      const retries = await engine.call('metrics.series', { metric: 'steps.retries', from, to, step: 86_400 });
      expect(retries.series).toEqual([{ labels: { workflow: 'old', agent: 'shell', tool: 'shell' }, points: [[Date.parse('2025-02-02T00:00:00.000Z'), 1]] }]);
      const { totals } = await engine.metricsExport();
      expect(totals.runs).toEqual([
        { workflow: 'old', status: 'failed', count: 1 },
        { workflow: 'old', status: 'interrupted', count: 1 },
        { workflow: 'old', status: 'succeeded', count: 1 },
      ]);
      expect(totals.steps).toEqual([
        { agent: 'shell', tool: 'shell', status: 'failed', count: 1 },
        { agent: 'shell', tool: 'shell', status: 'succeeded', count: 1 },
      ]);
    } finally {
      await engine.close();
    }
  },

  6: async () => {
    const db = openAt(5);
    fillVersion2(db);
    // An AI attempt of version 5: tokens in and out, no split of the cached ones.
    db.prepare(
      `INSERT INTO attempts (run_id, step, attempt, status, started_at, finished_at, exit_code, output_path, platform, session_id, cost_usd, input_tokens, output_tokens)
       VALUES ('run-c', 1, 3, 'succeeded', '2025-03-02T10:00:00.000Z', '2025-03-02T10:00:02.000Z', 0, '/x.log', 'claude-code', 's-1', 0.25, 1000, 200)`,
    ).run();
    migrateTo(db, 6);

    // Old attempts keep their figures; nobody knows their cached share.
    expect(
      db.prepare(`SELECT attempt, input_tokens AS input, output_tokens AS output, cache_read_tokens AS cacheRead, cache_write_tokens AS cacheWrite FROM attempts WHERE run_id = 'run-c' ORDER BY attempt`).all(),
    ).toEqual([
      { attempt: 1, input: null, output: null, cacheRead: null, cacheWrite: null },
      { attempt: 2, input: null, output: null, cacheRead: null, cacheWrite: null },
      { attempt: 3, input: 1000, output: 200, cacheRead: null, cacheWrite: null },
    ]);
    db.close();

    // The engine reads them: the attempt with its tokens, the step with its attempts' sums and session.
    const engine = await startEngine(join(root, 'data'));
    try {
      const step = await engine.call('steps.get', { runId: 'run-c', step: 1 });
      expect(step.attemptHistory[2]).toMatchObject({ inputTokens: 1000, outputTokens: 200, cacheReadTokens: null, cacheWriteTokens: null });
      expect(step).toMatchObject({ sessionId: 's-1', costUsd: 0.25, tokens: { input: 1000, output: 200, cacheRead: null, cacheWrite: null } });
      const shellStep = (await engine.call('runs.get', { runId: 'run-a' })).steps[0]!;
      expect(shellStep).toMatchObject({ sessionId: null, costUsd: null, tokens: null });
    } finally {
      await engine.close();
    }
  },

  7: async () => {
    const db = openAt(6);
    fillVersion2(db);
    migrateTo(db, 7);

    // Old runs had no workspace, and their history is untouched.
    expect(db.prepare('SELECT COUNT(*) FROM run_workspaces').pluck().get()).toBe(0);
    expect(db.prepare(`SELECT COUNT(*) FROM attempts WHERE run_id = 'run-c'`).pluck().get()).toBe(2);

    // A worktree belongs to an attempt: none without one, and deleting the run deletes its rows.
    const insert = db.prepare(
      `INSERT INTO step_workspaces (run_id, step, attempt, repo, path, branch, state, base_commit, created_at)
       VALUES ('run-c', 1, ?, '/repo', '/data/worktrees/run-c/step-1', 'photon/run-c-step-1', 'kept', 'abc', '2025-02-02T10:00:00.000Z')`,
    );
    expect(() => insert.run(9)).toThrow(/FOREIGN KEY/);
    insert.run(1);
    db.prepare(
      `INSERT INTO run_workspaces (run_id, repo, base_ref, base_commit, branch, created_at) VALUES ('run-c', '/repo', 'main', 'abc', 'photon/run-c', '2025-02-02T10:00:00.000Z')`,
    ).run();
    expect(db.prepare(`SELECT conflicts, result_commit AS resultCommit FROM step_workspaces`).get()).toEqual({ conflicts: '[]', resultCommit: null });
    db.prepare(`DELETE FROM runs WHERE id = 'run-c'`).run();
    expect(db.prepare('SELECT COUNT(*) FROM step_workspaces').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM run_workspaces').pluck().get()).toBe(0);
    db.close();

    // The engine reads the old runs as runs without a workspace.
    const engine = await startEngine(join(root, 'data'));
    try {
      const run = await engine.call('runs.get', { runId: 'run-a' });
      expect(run.workspace).toBeUndefined();
      expect(run.steps[0]!.workspace).toBeUndefined();
    } finally {
      await engine.close();
    }
  },

  8: () => {
    const db = openAt(7);
    fillVersion2(db);
    migrateTo(db, 8);

    // Nothing is trusted after the upgrade; a trust is one script's hash in one repository.
    expect(db.prepare('SELECT COUNT(*) FROM setup_trust').pluck().get()).toBe(0);
    const trust = db.prepare(`INSERT INTO setup_trust (repo, sha256, source, location, trusted_at) VALUES ('/repo', ?, 'repo', '/repo/.photon/setup', '2025-02-02T10:00:00.000Z')`);
    trust.run('a'.repeat(64));
    expect(() => trust.run('a'.repeat(64))).toThrow(/UNIQUE/);
    expect(db.prepare(`SELECT COUNT(*) FROM attempts WHERE run_id = 'run-c'`).pluck().get()).toBe(2);
    db.close();
  },

  9: () => {
    const db = openAt(8);
    fillVersion2(db);
    migrateTo(db, 9);

    // The inbox starts empty; a run's requests go with the run, a standalone session's have none.
    expect(db.prepare('SELECT COUNT(*) FROM approvals').pluck().get()).toBe(0);
    const request = db.prepare(
      `INSERT INTO approvals (id, kind, status, session_id, run_id, step, tool, title, created_at) VALUES (?, 'permission', 'waiting', 's-1', ?, 1, 'claude-code', 'Edit a.ts', '2025-03-01T10:00:00.000Z')`,
    );
    expect(() => request.run('a-0', 'no-run')).toThrow(/FOREIGN KEY/);
    request.run('a-1', 'run-c');
    request.run('a-2', null);
    expect(db.prepare(`SELECT diffs FROM approvals WHERE id = 'a-1'`).pluck().get()).toBe('[]');
    db.prepare(`DELETE FROM runs WHERE id = 'run-c'`).run();
    expect(db.prepare('SELECT id FROM approvals').pluck().all()).toEqual(['a-2']);

    // Rules are ordered within their scope: two at one place are refused.
    const rule = db.prepare(`INSERT INTO approval_rules (id, scope, target, position, match, action, created_by, created_at) VALUES (?, 'agent', 'builder', ?, '{}', 'allow', 'person', '2025-03-01T10:00:00.000Z')`);
    rule.run('r-1', 0);
    expect(() => rule.run('r-2', 0)).toThrow(/UNIQUE/);
    expect(db.prepare(`SELECT COUNT(*) FROM attempts WHERE run_id = 'run-a'`).pluck().get()).toBe(1);
    db.close();
  },

  10: async () => {
    const db = openAt(9);
    fillVersion2(db);
    migrateTo(db, 10);

    // Old attempts ran headless: none has a conversation. A conversation belongs to an attempt and goes with its run.
    expect(db.prepare('SELECT COUNT(*) FROM attempt_sessions').pluck().get()).toBe(0);
    const session = db.prepare(
      `INSERT INTO attempt_sessions (session_id, run_id, step, attempt, info, updated_at) VALUES (?, 'run-c', 1, ?, '{"id":"s-1"}', '2025-03-01T10:00:00.000Z')`,
    );
    expect(() => session.run('s-0', 9)).toThrow(/FOREIGN KEY/);
    session.run('s-1', 1);
    expect(db.prepare(`SELECT entries FROM attempt_sessions WHERE session_id = 's-1'`).pluck().get()).toBe('[]');
    db.prepare(`DELETE FROM runs WHERE id = 'run-c'`).run();
    expect(db.prepare('SELECT COUNT(*) FROM attempt_sessions').pluck().get()).toBe(0);
    db.close();

    // The engine reads the old runs as before.
    const engine = await startEngine(join(root, 'data'));
    try {
      expect((await engine.call('runs.get', { runId: 'run-a' })).steps[0]).toMatchObject({ status: 'succeeded', output: 'hi' });
    } finally {
      await engine.close();
    }
  },

  11: () => {
    const db = openAt(10);
    fillVersion2(db);
    migrateTo(db, 11);

    // No keys and an empty log after the upgrade; a name is unique among active keys only, a prefix for ever.
    expect(db.prepare('SELECT COUNT(*) FROM api_keys').pluck().get()).toBe(0);
    const key = db.prepare(`INSERT INTO api_keys (id, name, prefix, salt, hash, scope, created_at) VALUES (?, ?, ?, x'00', x'00', ?, '2026-03-01T10:00:00.000Z')`);
    key.run('k-1', 'ci', 'aaaaaaaa', 'run');
    expect(() => key.run('k-2', 'ci', 'bbbbbbbb', 'run')).toThrow(/UNIQUE/);
    expect(() => key.run('k-2', 'other', 'aaaaaaaa', 'run')).toThrow(/UNIQUE/);
    expect(() => key.run('k-2', 'other', 'bbbbbbbb', 'root')).toThrow(/CHECK/);
    db.prepare(`UPDATE api_keys SET revoked_at = '2026-03-02T10:00:00.000Z' WHERE id = 'k-1'`).run();
    key.run('k-2', 'ci', 'bbbbbbbb', 'read');
    db.prepare(`INSERT INTO audit_log (at, kind, detail) VALUES ('2026-03-02T10:00:00.000Z', 'key.revoked', 'key "ci" revoked')`).run();
    expect(db.prepare('SELECT id FROM audit_log').pluck().all()).toEqual([1]);
    expect(db.prepare(`SELECT COUNT(*) FROM attempts WHERE run_id = 'run-a'`).pluck().get()).toBe(1);
    db.close();
  },

  12: async () => {
    const db = openAt(11);
    fillVersion2(db);
    migrateTo(db, 12);

    // No hosts after the upgrade; a name is taken once; a remote attempt's mark is kept until stopped.
    expect(db.prepare('SELECT COUNT(*) FROM hosts').pluck().get()).toBe(0);
    const host = db.prepare(`INSERT INTO hosts (name, address, created_at) VALUES (?, 'ssh://me@box:2222', '2026-03-01T10:00:00.000Z')`);
    host.run('box');
    expect(() => host.run('box')).toThrow(/UNIQUE/);
    expect(db.prepare(`SELECT status FROM hosts WHERE name = 'box'`).pluck().get()).toBe('disconnected');
    const mark = db.prepare(`INSERT INTO host_attempts (mark, host, owner, run_id, step, attempt, started_at) VALUES ('run-a-1-1', 'box', '1:2', 'run-a', 1, 1, '2026-03-01T10:00:00.000Z')`);
    mark.run();
    expect(() => mark.run()).toThrow(/UNIQUE/);
    // Left in place, the engine below would try to stop it on a host that does not exist.
    db.prepare('DELETE FROM host_attempts').run();
    expect(db.prepare(`SELECT COUNT(*) FROM attempts WHERE run_id = 'run-a'`).pluck().get()).toBe(1);
    db.close();

    // The engine reads the old runs as before, and lists the host.
    const engine = await startEngine(join(root, 'data'));
    try {
      expect((await engine.call('runs.get', { runId: 'run-a' })).steps[0]).toMatchObject({ status: 'succeeded', output: 'hi' });
      expect((await engine.call('hosts.list', undefined)).map((listed) => [listed.name, listed.address, listed.status])).toEqual([['box', 'ssh://me@box:2222', 'disconnected']]);
    } finally {
      await engine.close();
    }
  },
  13: async () => {
    const db = openAt(12);
    fillVersion2(db);
    migrateTo(db, 13);

    // Old attempts ran no fan-out item; no step has items; an item belongs to its step and goes with it.
    expect(db.prepare('SELECT COUNT(*) FROM attempts WHERE item IS NOT NULL').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM step_items').pluck().get()).toBe(0);
    const item = db.prepare(`INSERT INTO step_items (run_id, step, item, value) VALUES ('run-c', 1, ?, '"a"')`);
    item.run(0);
    expect(() => item.run(0)).toThrow(/UNIQUE/);
    expect(db.prepare(`SELECT status, attempts FROM step_items WHERE run_id = 'run-c'`).get()).toEqual({ status: 'pending', attempts: 0 });
    db.prepare(`DELETE FROM step_items`).run();
    db.close();

    // The engine reads the old runs as before: no items, attempts without an item.
    const engine = await startEngine(join(root, 'data'));
    try {
      const step = (await engine.call('runs.get', { runId: 'run-c' })).steps[0]!;
      expect(step).toMatchObject({ status: 'failed', attempts: 2 });
      expect(step.items).toBeUndefined();
      const detail = await engine.call('steps.get', { runId: 'run-c', step: 1 });
      expect(detail.attemptHistory.map((a) => [a.attempt, a.item])).toEqual([[1, undefined], [2, undefined]]);
      expect(detail.itemHistory).toBeUndefined();
    } finally {
      await engine.close();
    }
  },

  14: async () => {
    const db = openAt(13);
    fillVersion2(db);
    migrateTo(db, 14);

    // Old runs were started by no step and were given no inputs.
    expect(db.prepare('SELECT COUNT(*) FROM runs WHERE parent_run_id IS NOT NULL OR parent_step IS NOT NULL OR parent_attempt IS NOT NULL OR inputs IS NOT NULL').pluck().get()).toBe(0);
    // A child run names its parent's run, step and attempt, and keeps its inputs.
    db.prepare(
      `INSERT INTO runs (id, workflow_name, definition, status, concurrency, base_dir, created_at, parent_run_id, parent_step, parent_attempt, inputs)
       VALUES ('run-child', 'old', ?, 'succeeded', 4, '/tmp', '2025-03-01T10:00:00.000Z', 'run-a', 1, 1, '{"topic":"docs"}')`,
    ).run(definition);
    db.prepare(`INSERT INTO steps (run_id, step, status, output) VALUES ('run-child', 1, 'succeeded', 'hi')`).run();
    db.close();

    // The engine reads the old runs as before, and the link both ways.
    const engine = await startEngine(join(root, 'data'));
    try {
      const old = await engine.call('runs.get', { runId: 'run-a' });
      expect(old.steps[0]).toMatchObject({ status: 'succeeded', output: 'hi', childRunId: 'run-child' });
      expect(old).not.toHaveProperty('parent');
      expect(await engine.call('runs.get', { runId: 'run-child' })).toMatchObject({ parent: { runId: 'run-a', step: 1 } });
      expect((await engine.call('runs.get', { runId: 'run-c' })).steps.every((step) => step.childRunId === undefined)).toBe(true);
    } finally {
      await engine.close();
    }
  },

  15: async () => {
    // From the migration before it, whichever number that is.
    const db = openAt(migrations[migrations.findIndex((m) => m.version === 15) - 1]!.version);
    fillVersion2(db);
    migrateTo(db, 15);

    // No schedules or triggers after the upgrade, and old runs were started by no schedule.
    expect(db.prepare('SELECT COUNT(*) FROM schedules').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM triggers').pluck().get()).toBe(0);
    expect(db.prepare(`SELECT COUNT(*) FROM runs WHERE trigger_kind IS NOT NULL OR trigger_name IS NOT NULL`).pluck().get()).toBe(0);
    // A name is taken once per workflow; a trigger is a file or a webhook; both go with their workflow.
    const schedule = db.prepare(`INSERT INTO schedules (id, workflow_id, name, cron, time_zone, created_at) VALUES (?, 'wf', ?, '0 2 * * *', 'UTC', '2026-03-01T10:00:00.000Z')`);
    schedule.run('s-1', 'nightly');
    expect(() => schedule.run('s-2', 'nightly')).toThrow(/UNIQUE/);
    const trigger = db.prepare(`INSERT INTO triggers (id, workflow_id, name, kind, created_at) VALUES (?, 'wf', ?, ?, '2026-03-01T10:00:00.000Z')`);
    trigger.run('t-1', 'push', 'webhook');
    expect(() => trigger.run('t-2', 'poll', 'cron')).toThrow(/CHECK/);
    expect(db.prepare(`SELECT enabled, catch_up FROM schedules WHERE id = 's-1'`).get()).toEqual({ enabled: 1, catch_up: 0 });
    db.prepare(`DELETE FROM runs WHERE workflow_id = 'wf'`).run();
    db.prepare(`DELETE FROM workflows WHERE id = 'wf'`).run();
    expect(db.prepare('SELECT COUNT(*) FROM schedules').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM triggers').pluck().get()).toBe(0);
    db.close();

    // The engine reads the old runs as before, with no trigger.
    const engine = await startEngine(join(root, 'data'));
    try {
      const run = (await engine.call('runs.list', {})).find((listed) => listed.runId === 'run-a');
      expect(run).toMatchObject({ status: 'succeeded' });
      expect(run).not.toHaveProperty('trigger');
    } finally {
      await engine.close();
    }
  },
  16: async () => {
    // From the migration before it, whichever number that is.
    const db = openAt(migrations[migrations.findIndex((m) => m.version === 16) - 1]!.version);
    fillVersion2(db);
    db.prepare(`UPDATE attempts SET agent_id = 'reviewer', cost_usd = 0.5, input_tokens = 100, output_tokens = 20 WHERE run_id = 'run-c'`).run();
    migrateTo(db, 16);

    // Old steps wait for nothing; old inbox items are about no budget; no setting is saved.
    expect(db.prepare('SELECT COUNT(*) FROM steps WHERE waiting_for IS NOT NULL').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM engine_settings').pluck().get()).toBe(0);
    db.prepare(`INSERT INTO engine_settings (name, value, updated_at) VALUES ('maxAgents', '3', '2026-03-01T10:00:00.000Z')`).run();
    // As an engine that died while a step of run-b waited for a budget left it.
    db.prepare(`UPDATE runs SET status = 'running' WHERE id = 'run-b'`).run();
    db.prepare(`UPDATE steps SET waiting_for = 'budget' WHERE run_id = 'run-b'`).run();
    // The agent's spend by day is read through its own index.
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT SUM(cost_usd) FROM attempts WHERE agent_id = 'reviewer' AND started_at >= '2025-02-02' AND started_at < '2025-02-03'`).all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('attempts_by_agent_started');
    db.close();

    // The engine reads the old runs as before, with their spend; the saved cap applies; a run left waiting by a dead engine waits no more.
    const engine = await startEngine(join(root, 'data'));
    try {
      expect((await engine.call('runs.get', { runId: 'run-a' })).steps[0]).toMatchObject({ status: 'succeeded', output: 'hi' });
      expect((await engine.call('runs.get', { runId: 'run-c' })).steps[0]).toMatchObject({ costUsd: 1, tokens: { input: 200, output: 40 } });
      expect((await engine.call('runs.get', { runId: 'run-b' })).steps[0]!.waitingFor).toBeUndefined();
      expect(await engine.call('agents.cap', undefined)).toMatchObject({ maxAgents: 3, source: 'saved', running: 0 });
    } finally {
      await engine.close();
    }
  },
  17: async () => {
    const db = openAt(migrations[migrations.findIndex((m) => m.version === 17) - 1]!.version);
    fillVersion2(db);
    // An agent's retried attempts (run-c), a plain step's one attempt (run-a), and an attempt still running with its step (run-b).
    db.prepare(`UPDATE attempts SET agent_id = 'reviewer', cost_usd = 0.5, input_tokens = 100, output_tokens = 20 WHERE run_id = 'run-c'`).run();
    db.prepare(`UPDATE runs SET status = 'running' WHERE id = 'run-b'`).run();
    db.prepare(`UPDATE steps SET status = 'running', attempts = 1, started_at = '2025-01-02T10:00:00.000Z' WHERE run_id = 'run-b'`).run();
    db.prepare(`INSERT INTO attempts (run_id, step, attempt, status, started_at, output_path) VALUES ('run-b', 1, 1, 'running', '2025-01-02T10:00:00.000Z', '/data/b.log')`).run();
    const answers = () => {
      const metrics = new MetricsRepository(db);
      const from = '2025-01-01T00:00:00.000Z';
      const to = '2025-12-31T00:00:00.000Z';
      return {
        today: metrics.today(from),
        totals: metrics.totals(),
        attempts: (['duration', 'retry', 'timeout', 'cost', 'inputTokens', 'outputTokens'] as const).map((kind) => metrics.attemptEvents(kind, from, to)),
        steps: (['succeeded', 'failed'] as const).map((kind) => metrics.stepEvents(kind, from, to)),
        spend: new SpendRepository(db).ofAgentBetween('reviewer', from, to),
        histories: [...new AgentsRepository(db).histories()],
      };
    };
    const before = answers();
    expect(before.attempts[1]).toHaveLength(1); // The retry.
    expect(before.spend).toEqual({ costUsd: 1, tokens: 240 });
    migrateTo(db, 17);

    // Every count, series, spend and record reads the same from the smaller indexes.
    expect(answers()).toEqual(before);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(' ');
    expect(plan(`SELECT COUNT(*) FROM attempts WHERE started_at >= '2025' AND attempt > 1`)).toContain('attempts_retried_by_started');
    expect(plan(`SELECT COUNT(*) FROM attempts WHERE finished_at >= '2025'`)).toContain('attempts_by_finished');
    expect(plan(`SELECT COUNT(*) FROM steps WHERE finished_at >= '2025'`)).toContain('steps_by_finished');
    expect(plan(`SELECT SUM(cost_usd) FROM attempts WHERE agent_id = 'reviewer' AND started_at >= '2025'`)).toContain('attempts_by_agent_started');
    db.close();

    // The engine reads the old runs as before; the one left running is interrupted by recovery, its attempt ended.
    const engine = await startEngine(join(root, 'data'));
    try {
      expect((await engine.call('runs.get', { runId: 'run-a' })).steps[0]).toMatchObject({ status: 'succeeded', output: 'hi' });
      expect((await engine.call('runs.get', { runId: 'run-c' })).steps[0]).toMatchObject({ costUsd: 1 });
      expect(await engine.call('runs.get', { runId: 'run-b' })).toMatchObject({ status: 'interrupted' });
    } finally {
      await engine.close();
    }
  },
  18: async () => {
    const db = openAt(17);
    fillVersion2(db);
    db.prepare(
      `INSERT INTO run_workspaces (run_id, repo, base_ref, base_commit, branch, result_commit, created_at) VALUES ('run-c', '/repo', 'main', 'abc', 'photon/run-c', 'def', '2025-02-02T10:00:00.000Z')`,
    ).run();
    migrateTo(db, 18);
    db.close();

    // A run's workspace from before says nothing of what became of its result: it is left to the user, as it was.
    const engine = await startEngine(join(root, 'data'));
    try {
      expect((await engine.call('runs.get', { runId: 'run-c' })).workspace).toMatchObject({ branch: 'photon/run-c', resultCommit: 'def', outcome: null });
    } finally {
      await engine.close();
    }
  },
};

describe('migrations', () => {
  it('are numbered from 1 without gaps, each with a test here', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_m, i) => i + 1));
    expect(Object.keys(migrationTests).map(Number)).toEqual(migrations.map((m) => m.version));
  });

  for (const migration of migrations) {
    it(`${String(migration.version).padStart(3, '0')}-${migration.name} upgrades a database holding data`, async () => {
      const test = migrationTests[migration.version];
      if (!test) throw new Error(`migration ${migration.version} has no test`);
      await test();
    });
  }

  it('brings a new database to the latest version, in WAL mode', () => {
    const db = openDatabase(file);
    open.push(db);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('applies a migration whole or not at all', () => {
    const db = openAt(migrations.at(-1)!.version);
    const latest = schemaVersion(db);
    const broken = [...migrations, { version: latest + 1, name: 'broken', up: `CREATE TABLE half (x INTEGER); INSERT INTO missing VALUES (1);` }];
    expect(() => migrate(db, broken)).toThrow(/missing/);
    expect(schemaVersion(db)).toBe(latest);
    expect(db.prepare(`SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'`).pluck().get()).toBe(0);
  });

  it('refuses a database written by a newer Photon, and leaves it as it is', async () => {
    const newer = new Database(file);
    newer.pragma('user_version = 99');
    newer.exec('CREATE TABLE from_the_future (x INTEGER)');
    newer.close();

    const latest = migrations.at(-1)!.version;
    const message = `the database was written by a newer Photon (schema 99, this version knows ${latest}); update Photon or use another --data-dir`;
    expect(() => openDatabase(file)).toThrow(message);
    await expect(startEngine(join(root, 'data'))).rejects.toMatchObject({ code: 'conflict', message });
    expect(() => openStorage(join(root, 'data'))).toThrow(/newer Photon/);

    const after = new Database(file);
    expect(after.pragma('user_version', { simple: true })).toBe(99);
    expect(after.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()).toEqual(['from_the_future']);
    after.close();
  });
});
