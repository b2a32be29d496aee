/**
 * An ACP agent's permission request that SQLite refuses to write (another program holds the real
 * file's write lock past the busy timeout; here a second real connection): the engine does not
 * throw into the agent's request. A session of its own fails, saying why and what to do; a run's
 * session has the request cancelled, and its run, whose writes were lost, ends failed saying why.
 * Either way nothing is shown waiting in the inbox that the file does not hold.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import type { ApprovalItem } from '../../../shared/approvals.js';
import type { SessionInfo } from '../../../shared/sessions.js';
import { removeDir, waitUntil } from '../helpers.js';
import { heldLockMessage, lockingConnection, type LockingConnection } from '../sqlite-connection.js';
import { startEngineWithStandIn } from './stand-in.js';

let root = '';
let engine: Engine | undefined;
let other: LockingConnection | undefined;

afterEach(async () => {
  other?.close();
  other = undefined;
  await engine?.close();
  engine = undefined;
  vi.restoreAllMocks();
  removeDir(root);
});

describe('a permission request SQLite refuses to write', () => {
  it('fails a session of its own, saying why, and shows nothing waiting', async () => {
    let work: string;
    ({ root, work, engine } = await startEngineWithStandIn('permission-refused'));
    const running = engine;
    const file = join(root, 'data', 'photon.db');
    const infos: SessionInfo[] = [];
    const announced: ApprovalItem[] = [];
    running.on('session.updated', (info) => infos.push(info));
    running.on('approval.updated', (item) => announced.push(item));
    const session = await running.call('sessions.start', { tool: 'claude-code', cwd: work, agentName: 'builder' });
    other = await lockingConnection(file, () => running.call('approvals.list', {}));

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
});
