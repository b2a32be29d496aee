/**
 * An engine that dies while a step runs as an ACP session: the next engine on the same data stops
 * what the agent left running (found by the attempt's marks), and the step's stored session reads
 * as ended with its attempt, for the attempt's reason, instead of working for ever.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useEngineCrashTest } from '../engine-process.js';
import { openDatabaseFile, waitUntil } from '../helpers.js';
import { standInAgent } from '../sessions/stand-in.js';
import { markedProcesses } from './marked-processes.js';

const crash = useEngineCrashTest('session-crash', []);
const saved = { PATH: process.env.PATH, SHELL: process.env.SHELL, STANDIN_FLAGS: process.env.STANDIN_FLAGS };
let runId = '';

beforeEach(() => {
  const bin = join(crash.work, 'bin');
  mkdirSync(bin);
  const adapter = join(bin, 'claude-agent-acp');
  writeFileSync(adapter, `#!/bin/sh\nexec "${process.execPath}" "${standInAgent}" $STANDIN_FLAGS "$@"\n`);
  chmodSync(adapter, 0o755);
  // Both engines (the one killed runs in a child process) find the adapter on this PATH, no login
  // shell; the stand-in starts a child of its own, which outlives it as a native binary would.
  Object.assign(process.env, { PATH: `${bin}:/usr/bin:/bin`, SHELL: '', STANDIN_FLAGS: '--child' });
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  // Should the test fail midway, nothing it started stays.
  for (const pid of runId ? markedProcesses(runId) : []) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  runId = '';
});

describe('an engine that dies while a step runs as a session', () => {
  it("is recovered: the agent's processes are stopped, and the step's session reads as ended with its attempt", async () => {
    const file = join(crash.work, 'slow.json');
    writeFileSync(file, JSON.stringify({ name: 'slow session', workflow: [{ step: 1, platform: 'claude-code', inputs: { prompt: 'slow' }, dependencies: [] }] }));
    const started = crash.start(file);
    runId = await started.runId;
    // The conversation has reached the database while the turn streams.
    await waitUntil(
      () => {
        const db = openDatabaseFile(crash.dataDir);
        try {
          const entries = db.prepare('SELECT entries FROM attempt_sessions WHERE run_id = ?').pluck().get(runId) as string | undefined;
          return entries?.includes('tick 2') ?? false;
        } finally {
          db.close();
        }
      },
      'the streaming turn to be stored',
      30_000,
    );
    started.process.kill('SIGKILL');
    await started.exited;
    await waitUntil(() => markedProcesses(runId).length > 0, 'what the agent started to outlive its engine');

    const engine = await crash.recover();
    expect(markedProcesses(runId)).toEqual([]);
    const [info] = await engine.call('sessions.list', { runId });
    expect(info).toMatchObject({ stepId: '1', status: 'failed', error: 'interrupted: Photon stopped during this attempt' });
    const { entries } = await engine.call('sessions.get', { id: info!.id });
    expect(entries.some((entry) => entry.type === 'message' && entry.role === 'agent' && entry.text.includes('tick 2'))).toBe(true);
  });
});
