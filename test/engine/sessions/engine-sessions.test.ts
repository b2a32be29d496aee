/**
 * Standalone sessions through the engine's contract: the tool registry finds the ACP adapter on
 * the PATH (here `claude-agent-acp` is the stand-in ACP agent, since the real one needs its
 * vendor's network), the conversation arrives as events, and its permission request waits in the
 * approvals inbox until answered there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import type { ApprovalItem } from '../../../shared/approvals.js';
import type { SessionEntry, SessionInfo } from '../../../shared/sessions.js';
import { removeDir } from '../helpers.js';
import { startEngineWithStandIn, until } from './stand-in.js';

let root: string;
let work: string;
let engine: Engine;
const infos: SessionInfo[] = [];
const entries = new Map<string, SessionEntry[]>();
const approvals: ApprovalItem[] = [];

beforeEach(async () => {
  ({ root, work, engine } = await startEngineWithStandIn('engine-sessions'));
  infos.length = 0;
  entries.clear();
  approvals.length = 0;
  engine.on('session.updated', (info) => infos.push(info));
  engine.on('session.entry', ({ sessionId, index, entry }) => {
    const list = entries.get(sessionId) ?? [];
    list[index] = entry;
    entries.set(sessionId, list);
  });
  engine.on('approval.updated', (item) => approvals.push(item));
});
afterEach(async () => {
  await engine.close();
  removeDir(root);
});

const finalMessage = (id: string) => entries.get(id)?.filter((e) => e.type === 'message' && e.role === 'agent').at(-1);

describe('sessions in the contract', () => {
  it('starts a session with the ACP adapter on the PATH, streams its conversation as events, and routes its permission request to the inbox', async () => {
    const started = await engine.call('sessions.start', { tool: 'claude-code', cwd: work, agentName: 'builder' });
    expect(started).toMatchObject({ tool: 'claude-code', status: 'idle', cwd: work, agentName: 'builder' });

    await engine.call('sessions.send', { id: started.id, text: 'hello' });
    await until(() => entries.get(started.id)?.some((e) => e.type === 'turn_end') ?? false, 'the first turn to end');
    expect(finalMessage(started.id)).toMatchObject({ text: 'Hello there' });

    const file = join(work, 'made.txt');
    await engine.call('sessions.send', { id: started.id, text: `edit ${file} from the inbox` });
    await until(() => approvals.some((a) => a.status === 'waiting'), 'the request in the inbox');
    const waiting = approvals.find((a) => a.status === 'waiting')!;
    expect(waiting).toMatchObject({ sessionId: started.id, tool: 'claude-code', agentName: 'builder', toolKind: 'edit' });
    expect(await engine.call('approvals.list', { waitingOnly: true })).toHaveLength(1);
    const [answer] = await engine.call('approvals.answer', { ids: [waiting.id], answer: 'once' });
    expect(answer).toMatchObject({ ok: true });
    await until(() => finalMessage(started.id)?.type === 'message' && (finalMessage(started.id) as { text: string }).text === `Edited ${file}.`, 'the edit');
    expect(readFileSync(file, 'utf8')).toBe('from the inbox\n');

    const { entries: stored } = await engine.call('sessions.get', { id: started.id });
    expect(stored.find((e) => e.type === 'tool_call')).toMatchObject({ call: { kind: 'edit', status: 'completed', diffs: [{ path: file }] } });
    expect(infos.at(-1)).toMatchObject({ id: started.id, status: 'idle', usage: { inputTokens: 240 } });

    const closed = await engine.call('sessions.close', { id: started.id });
    expect(closed.status).toBe('ended');
    await expect(engine.call('sessions.send', { id: started.id, text: 'more' })).rejects.toThrow(`session ${started.id} has ended: start a new one`);
  });

  it('refuses a tool without an ACP mode, one whose adapter is missing, and a folder that does not exist', async () => {
    await expect(engine.call('sessions.start', { tool: 'aider', cwd: work })).rejects.toThrow('tool: aider has no ACP mode; these do: claude-code, codex, gemini');
    await expect(engine.call('sessions.start', { tool: 'codex', cwd: work })).rejects.toThrow(/no "codex-acp" on the login shell's PATH: npm install -g @zed-industries\/codex-acp/);
    await expect(engine.call('sessions.start', { tool: 'claude-code', cwd: join(work, 'nope') })).rejects.toThrow(/cwd: .*nope is not a folder/);
    await expect(engine.call('sessions.get', { id: 'gone' })).rejects.toThrow('no session gone');
  });
});
