/**
 * An ACP agent's permission request that SQLite refuses to write (another program holds the real
 * file's write lock past the busy timeout; here a second real connection): the engine does not
 * throw into the agent's request. A session of its own fails, saying why and what to do; a run's
 * session has the request cancelled, and its run, whose writes were lost, ends failed saying why.
 * Either way nothing is shown waiting in the inbox that the file does not hold.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { ApprovalItem } from '../../../shared/approvals.js';
import type { SessionInfo } from '../../../shared/sessions.js';
import { closedAfterEach, removeDir, waitUntil } from '../helpers.js';
import { heldLockMessage, lockingConnection } from '../sqlite-connection.js';
import { startEngineWithStandIn } from './stand-in.js';

const closeAfter = closedAfterEach();

describe('a permission request SQLite refuses to write', () => {
  it('fails a session of its own, saying why, and shows nothing waiting', async () => {
    const { root, work, engine: running } = await startEngineWithStandIn('permission-refused');
    closeAfter(() => removeDir(root));
    closeAfter(() => running.close());
    const file = join(root, 'data', 'photon.db');
    const infos: SessionInfo[] = [];
    const announced: ApprovalItem[] = [];
    running.on('session.updated', (info) => infos.push(info));
    running.on('approval.updated', (item) => announced.push(item));
    const session = await running.call('sessions.start', { tool: 'claude-code', cwd: work, agentName: 'builder' });
    const other = await lockingConnection(file, () => running.call('approvals.list', {}));
    closeAfter(() => other.close());

    other.hold();
    const target = join(work, 'made.txt');
    await running.call('sessions.send', { id: session.id, text: `edit ${target} while locked` });
    await waitUntil(() => infos.some((info) => info.id === session.id && info.status === 'failed'), 'the session to fail', 30_000);
    other.release();

    expect(infos.find((info) => info.status === 'failed')!.error).toBe(heldLockMessage(file, 'ask again'));
    expect(announced).toEqual([]);
    expect(await running.call('approvals.list', { waitingOnly: true })).toEqual([]);
    expect(existsSync(target)).toBe(false);
  }, 60_000);

  it("cancels a run's request, shows nothing waiting, and the run ends failed saying why", async () => {
    const { root, engine: running } = await startEngineWithStandIn('permission-refused-run');
    closeAfter(() => removeDir(root));
    closeAfter(() => running.close());
    const file = join(root, 'data', 'photon.db');
    const announced: ApprovalItem[] = [];
    running.on('approval.updated', (item) => announced.push(item));
    const logged = vi.spyOn(console, 'error');
    // Two requests one after the other: the first answered while the file can be written, the second asked while it cannot.
    const step = { step: 1, platform: 'claude-code', inputs: { prompt: `bench 2 ${join(root, 'asked.jsonl')} T` }, dependencies: [] };
    const { runId } = await running.call('runs.start', { workflow: { name: 'asks twice', workflow: [step] }, baseDir: root });
    await waitUntil(() => announced.some((item) => item.status === 'waiting'), 'the first request in the inbox', 30_000);
    const other = await lockingConnection(file, () => running.call('approvals.list', {}));
    closeAfter(() => other.close());
    // Once the run has written all it writes while the agent waits (its process, for recovery), so
    // the write the lock refuses is the second request's.
    const recorded = other.database.prepare('SELECT process FROM attempts WHERE run_id = ?').pluck();
    await waitUntil(() => recorded.get(runId) !== null, "the agent's process to be recorded", 30_000);

    const first = announced.find((item) => item.status === 'waiting')!;
    expect(first.title).toContain('Bench T 0');
    const [answer] = await running.call('approvals.answer', { ids: [first.id], answer: 'once' });
    expect(answer).toMatchObject({ ok: true });
    other.hold();
    const message = heldLockMessage(file, 'resume the run');
    await waitUntil(() => logged.mock.calls.some((call) => String(call[0]).includes(message)), 'the refusal to be said', 30_000);
    other.release();

    // Once the lock is gone, the run's settlement (retried until it can be written) writes it failed.
    const deadline = Date.now() + 30_000;
    let detail = await running.call('runs.get', { runId });
    while (detail.status !== 'failed') {
      if (Date.now() > deadline) throw new Error(`timed out waiting for the run to end failed (${detail.status})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      detail = await running.call('runs.get', { runId });
    }
    expect(detail.steps.map((s) => [s.status, s.error])).toEqual([['failed', message]]);
    // Its session was stopped with its run, not failed telling the user to ask again: the run is what to resume.
    expect((await running.call('sessions.list', { runId })).map((info) => [info.status, info.error])).toEqual([['ended', undefined]]);
    expect(announced.filter((item) => item.title.includes('Bench T 1'))).toEqual([]);
    expect(await running.call('approvals.list', { waitingOnly: true })).toEqual([]);
    expect(logged.mock.calls.filter((call) => String(call[0]).includes("cannot write Photon's history"))).toEqual([[`photon: ${message}`]]);
  }, 90_000);
});
