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

  /** An engine whose run waits at a gate ('Ship it?', then `touch shipped`), and a second connection ready to hold the lock. */
  async function gateWaiting(label: string) {
    root = makeTempDir(label);
    const dataDir = join(root, 'data');
    const file = join(dataDir, 'photon.db');
    const started = (engine = await startEngine(dataDir));
    const gate = { step: 1, platform: 'approval', inputs: { message: 'Ship it?' }, dependencies: [] };
    const { runId } = await started.call('runs.start', { workflow: workflowOf([gate, shellStep(2, 'touch shipped', { dependencies: [1] })]), baseDir: root });
    let question: { id: string } | undefined;
    while (!question) {
      [question] = await started.call('approvals.list', { waitingOnly: true, runId });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const lock = (other = await lockingConnection(file, () => started.call('runs.list', {})));
    return { engine: started, file, runId, question, lock };
  }

  it('is applied once the lock is gone, and nothing is thrown from the poll', async () => {
    const { engine, runId, question, lock } = await gateWaiting('hand-over-refused');
    // What another Photon's approvals.answer leaves on the row (ApprovalsRepository.handOver), then the lock taken at once.
    lock.database.prepare(`UPDATE approvals SET answer = 'once', answered_by = 'person', answered_at = ?, message = NULL WHERE id = ? AND status = 'waiting'`).run(new Date().toISOString(), question.id);
    // The holder polls every 200 ms: several polls find the answer and cannot write it (counted,
    // not waited for: a loaded machine may run none in a fixed time).
    const polls = vi.spyOn(ApprovalsRepository.prototype, 'handedOver');
    lock.hold();
    const found = () => polls.mock.results.filter((result) => result.type === 'return' && (result.value as unknown[]).length > 0).length;
    await waitUntil(() => found() >= 3, 'three polls to find the answer', 30_000);
    polls.mockRestore();
    expect((await engine.call('runs.get', { runId })).status).toBe('running');
    lock.release();

    expect(await engine.waitForRun(runId)).toBe('succeeded');
    expect(existsSync(join(root, 'shipped'))).toBe(true);
    const [answered] = await engine.call('approvals.list', { runId });
    expect(answered).toMatchObject({ id: question.id, status: 'allowed', answer: 'once', answeredBy: 'person' });
  }, 60_000);

  it("answered here while locked, the answer says why and the question keeps waiting for another", async () => {
    const { engine, file, runId, question, lock } = await gateWaiting('answer-refused');
    lock.hold();
    const [refused] = await engine.call('approvals.answer', { ids: [question.id], answer: 'once' });
    lock.release();
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
