/**
 * A standalone session of a saved agent ("New session" with the agent, sessions.start with its
 * agentId) gets what the agent's steps and terminals get: its tool, its variables, and its secrets
 * read from the keychain into the agent process's environment; and a secret's value never appears
 * in what the session records or announces (messages, tool calls, the inbox), only its mark.
 * The agent is the stand-in ACP agent installed as claude-agent-acp on the PATH; the keychain is
 * the real one scripts/run-tests.js starts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import type { ApprovalItem } from '../../../shared/approvals.js';
import type { SessionEntry } from '../../../shared/sessions.js';
import { keychainReady } from '../agents/stand-in-engine.js';
import { removeDir } from '../helpers.js';
import { startEngineWithStandIn, until } from './stand-in.js';

const secret = 'sk-live-SESSION-7f3a9c1e55d2';
const mark = '[secret deploy-token]';

let root: string;
let work: string;
let engine: Engine;
/** Everything the engine announced, as a listener (the app's session view) received it. */
let announced: string[];
let entries: Map<string, SessionEntry[]>;
let approvals: ApprovalItem[];

beforeEach(async () => {
  ({ root, work, engine } = await startEngineWithStandIn('agent-sessions'));
  announced = [];
  entries = new Map();
  approvals = [];
  engine.on('session.entry', (payload) => {
    announced.push(JSON.stringify(payload));
    const list = entries.get(payload.sessionId) ?? [];
    list[payload.index] = payload.entry;
    entries.set(payload.sessionId, list);
  });
  engine.on('session.updated', (info) => announced.push(JSON.stringify(info)));
  engine.on('approval.updated', (item) => {
    announced.push(JSON.stringify(item));
    approvals.push(item);
  });
});
afterEach(async () => {
  await engine.close();
  removeDir(root);
});

const turns = (id: string) => (entries.get(id) ?? []).filter((e) => e.type === 'turn_end').length;
const lastAgentText = (id: string) => (entries.get(id) ?? []).filter((e): e is SessionEntry & { type: 'message' } => e.type === 'message' && e.role === 'agent').at(-1)?.text;

describe.skipIf(!keychainReady)("a saved agent's standalone session (real keychain: run through scripts/run-tests.js)", () => {
  it("starts the agent's tool with its variables and keychain secret, and keeps the secret's value out of the conversation, its events and the inbox", async () => {
    await engine.call('secrets.set', { name: 'deploy-token', value: secret });
    await engine.call('agents.save', { agent: { id: 'deployer', name: 'Deployer', tool: 'claude-code', env: { DEPLOY_REGION: 'eu-west-3' }, secrets: [{ secret: 'deploy-token', variable: 'DEPLOY_TOKEN' }] } });

    const started = await engine.call('sessions.start', { agentId: 'deployer', cwd: work });
    expect(started).toMatchObject({ tool: 'claude-code', agentName: 'Deployer', status: 'idle' });
    const id = started.id;

    await engine.call('sessions.send', { id, text: 'env DEPLOY_REGION' });
    await until(() => turns(id) === 1, 'the first turn');
    expect(lastAgentText(id)).toBe('DEPLOY_REGION=eu-west-3');

    // The agent process has the value: it answers with it, and what is kept shows the mark in its place.
    await engine.call('sessions.send', { id, text: 'env DEPLOY_TOKEN' });
    await until(() => turns(id) === 2, 'the second turn');
    expect(lastAgentText(id)).toBe(`DEPLOY_TOKEN=${mark}`);

    // A command holding the value, in a tool call and a permission request.
    await engine.call('sessions.send', { id, text: `shell curl -H "Authorization: Bearer ${secret}" https://deploy.example` });
    await until(() => approvals.some((a) => a.status === 'waiting'), 'the request in the inbox');
    const waiting = approvals.find((a) => a.status === 'waiting')!;
    expect(waiting.command).toContain(`Bearer ${mark}`);
    await engine.call('approvals.answer', { ids: [waiting.id], answer: 'deny', message: 'not now' });
    // The refusal ends that turn; the deny message reaches the agent as the next one.
    await until(() => turns(id) === 4 && lastAgentText(id) === 'you said: not now', 'the deny message to be answered');

    const { entries: stored } = await engine.call('sessions.get', { id });
    const kept = JSON.stringify([stored, await engine.call('approvals.list', {}), await engine.call('sessions.list', {})]);
    expect(kept).toContain(mark);
    expect(kept).not.toContain(secret);
    expect(announced.join('\n')).not.toContain(secret);
    // Nor any start of it long enough to matter, as the stream held back (a value split across chunks).
    expect(announced.join('\n')).not.toContain(secret.slice(0, 12));
  });
});

describe('sessions.start with a saved agent', () => {
  it("refuses an agent that does not exist, and a tool other than the agent's, naming the fix", async () => {
    await expect(engine.call('sessions.start', { agentId: 'nobody', cwd: work })).rejects.toThrow('no agent "nobody"');
    await engine.call('agents.save', { agent: { id: 'plain', name: 'Plain', tool: 'claude-code' } });
    await expect(engine.call('sessions.start', { agentId: 'plain', tool: 'gemini', cwd: work })).rejects.toThrow(`tool: gemini is not agent "plain"'s tool (claude-code); leave tool out to use the agent's`);
    await expect(engine.call('sessions.start', { cwd: work } as never)).rejects.toThrow('give agentId (a saved agent) or tool');
    expect(await engine.call('sessions.list', {})).toEqual([]);
  });
});
