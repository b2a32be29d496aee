// An answer handed over by another Photon (the CLI answering a run in the app) is picked up by the
// engine holding the question on a timer. While another program holds the database's write lock
// past the busy timeout (a real second connection on the real file), applying it is refused, and so
// is taking it back: the engine stays up, and the answer lands once the lock is gone.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import { ApprovalsRepository } from '../../../electron/engine/storage/index.js';
import { makeTempDir, removeDir, shellStep, startEngine, waitUntil, workflowOf } from '../helpers.js';
import { heldLockMessage, lockingConnection, type LockingConnection } from '../sqlite-connection.js';

describe('a handed-over answer while the database is locked', () => {
  let root = '';
  let engine: Engine | undefined;
  let other: LockingConnection | undefined;
  afterEach(async () => {
    other?.close();
    await engine?.close();
    engine = undefined;
    removeDir(root);
  });

  it('is applied once the lock is gone, and nothing is thrown from the poll', async () => {
    root = makeTempDir('hand-over-refused');
    const dataDir = join(root, 'data');
    const file = join(dataDir, 'photon.db');
    engine = await startEngine(dataDir);
    const gate = { step: 1, platform: 'approval', inputs: { message: 'Ship it?' }, dependencies: [] };
    const { runId } = await engine.call('runs.start', { workflow: workflowOf([gate, shellStep(2, 'touch shipped', { dependencies: [1] })]), baseDir: root });
    let question: { id: string } | undefined;
    while (!question) {
      [question] = await engine.call('approvals.list', { waitingOnly: true, runId });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    other = await lockingConnection(file, () => engine!.call('runs.list', {}));
    // What another Photon's approvals.answer leaves on the row (ApprovalsRepository.handOver), then the lock taken at once.
    other.database.prepare(`UPDATE approvals SET answer = 'once', answered_by = 'person', answered_at = ?, message = NULL WHERE id = ? AND status = 'waiting'`).run(new Date().toISOString(), question.id);
    // The holder polls every 200 ms: several polls find the answer and cannot write it (counted,
    // not waited for: a loaded machine may run none in a fixed time).
    const polls = vi.spyOn(ApprovalsRepository.prototype, 'handedOver');
    other.hold();
    const found = () => polls.mock.results.filter((result) => result.type === 'return' && (result.value as unknown[]).length > 0).length;
    await waitUntil(() => found() >= 3, 'three polls to find the answer', 30_000);
    polls.mockRestore();
    expect((await engine.call('runs.get', { runId })).status).toBe('running');
    other.release();

    expect(await engine.waitForRun(runId)).toBe('succeeded');
    expect(existsSync(join(root, 'shipped'))).toBe(true);
    const [answered] = await engine.call('approvals.list', { runId });
    expect(answered).toMatchObject({ id: question.id, status: 'allowed', answer: 'once', answeredBy: 'person' });
  }, 60_000);

  it("answered here while locked, the answer says why and the question keeps waiting for another", async () => {
    root = makeTempDir('answer-refused');
    const dataDir = join(root, 'data');
    const file = join(dataDir, 'photon.db');
    engine = await startEngine(dataDir);
    const gate = { step: 1, platform: 'approval', inputs: { message: 'Ship it?' }, dependencies: [] };
    const { runId } = await engine.call('runs.start', { workflow: workflowOf([gate, shellStep(2, 'touch shipped', { dependencies: [1] })]), baseDir: root });
    let question: { id: string } | undefined;
    while (!question) {
      [question] = await engine.call('approvals.list', { waitingOnly: true, runId });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    other = await lockingConnection(file, () => engine!.call('runs.list', {}));
    other.hold();
    const [refused] = await engine.call('approvals.answer', { ids: [question.id], answer: 'once' });
    other.release();
    expect(refused).toEqual({
      id: question.id,
      ok: false,
      code: 'unavailable',
      reason: heldLockMessage(file, 'answer it again'),
    });
    expect((await engine.call('approvals.list', { waitingOnly: true, runId })).map((item) => item.id)).toEqual([question.id]);
    await engine.call('approvals.answer', { ids: [question.id], answer: 'once' });
    expect(await engine.waitForRun(runId)).toBe('succeeded');
  }, 60_000);
});
