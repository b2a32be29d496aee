/**
 * An ACP session against the stand-in agent built on the SDK (test/fixtures/acp-agent.mjs): the
 * conversation as a user reads it, permissions, cancel, follow-ups, and an agent that misbehaves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentSession, PermissionBroker, PermissionQuestion } from '../../../electron/engine/sessions/index.js';
import { processGroupAlive } from '../../../electron/engine/terminals/index.js';
import { makeTempDir, removeDir } from '../helpers.js';
import { standInSession, until } from './stand-in.js';

let work: string;
const sessions: AgentSession[] = [];

beforeEach(() => {
  work = makeTempDir('acp');
});
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  removeDir(work);
});

const allowAll: PermissionBroker = async (q) => ({ optionId: q.options.find((o) => o.kind === 'allow_once')!.id });

function open(permissions: PermissionBroker = allowAll, options: Parameters<typeof standInSession>[2] = {}): AgentSession {
  const session = standInSession(work, permissions, options);
  sessions.push(session);
  return session;
}

describe('an ACP session', () => {
  it('streams the plan and the message, and ends the turn with its usage', async () => {
    const session = open();
    await session.start();
    await session.send('hello');
    const entries = session.conversation.entries;
    expect(entries.map((e) => e.type)).toEqual(['message', 'plan', 'message', 'turn_end']);
    expect(session.conversation.finalMessage()).toBe('Hello there');
    expect(entries[1]).toMatchObject({ type: 'plan', entries: [{ content: 'Say hello', status: 'completed' }] });
    expect(session.info.usage).toMatchObject({ inputTokens: 120, outputTokens: 30, cachedReadTokens: 10, contextUsed: 150, costUsd: 0.0042 });
    expect(session.info.status).toBe('idle');
  });

  it('asks before an edit, shows its diff, and applies it only once allowed', async () => {
    const questions: PermissionQuestion[] = [];
    const session = open(async (q) => {
      questions.push(q);
      return { optionId: q.options.find((o) => o.kind === 'allow_once')!.id };
    });
    await session.start();
    const file = join(work, 'notes.txt');
    await session.send(`edit ${file} fresh words`);
    expect(questions).toHaveLength(1);
    expect(questions[0]!.toolCall).toMatchObject({ kind: 'edit', title: `Edit ${file}`, diffs: [{ path: file, oldText: null, newText: 'fresh words\n' }] });
    expect(readFileSync(file, 'utf8')).toBe('fresh words\n');
    const call = session.conversation.entries.find((e) => e.type === 'tool_call');
    expect(call).toMatchObject({ call: { status: 'completed', diffs: [{ newText: 'fresh words\n' }] } });
  });

  it('a rejection leaves the file alone and sends the deny message to the agent as a follow-up', async () => {
    const session = open(async (q) => ({ optionId: q.options.find((o) => o.kind === 'reject_once')!.id, message: 'echo use the other file' }));
    await session.start();
    const file = join(work, 'keep.txt');
    await session.send(`edit ${file} nope`);
    await session.idle();
    expect(existsSync(file)).toBe(false);
    const texts = session.conversation.entries.flatMap((e) => (e.type === 'message' ? [`${e.role}: ${e.text}`] : []));
    expect(texts).toContain(`agent: I was not allowed to edit ${file}.`);
    expect(texts).toContain('user: echo use the other file');
    expect(session.conversation.finalMessage()).toBe('you said: echo use the other file');
  });

  it('cancel stops the turn, answers a pending permission cancelled, and the next prompt runs in a fresh agent session', async () => {
    let question: PermissionQuestion | undefined;
    const session = open((q) => {
      question = q;
      return new Promise(() => undefined);
    });
    await session.start();
    const turn = session.send('shell rm -rf build');
    await until(() => question !== undefined, 'the permission request');
    await session.cancel();
    await turn;
    expect(question!.signal.aborted).toBe(true);
    expect(session.conversation.entries.at(-1)).toMatchObject({ type: 'turn_end', stopReason: 'cancelled' });
    expect(session.conversation.toolCallById(question!.toolCall.id)?.status).toBe('failed');
    await session.send('echo again');
    expect(session.conversation.finalMessage()).toBe('you said: echo again');
    expect(session.conversation.entries.some((e) => e.type === 'notice' && /new agent session/.test(e.text))).toBe(true);
  });

  it('cancel mid-stream ends a long turn', async () => {
    const session = open();
    await session.start();
    const turn = session.send('slow');
    await until(() => /tick 2/.test(session.conversation.finalMessage()), 'a few ticks');
    await session.cancel();
    await turn;
    expect(session.info.status).toBe('idle');
    expect(session.conversation.entries.at(-1)).toMatchObject({ type: 'turn_end', stopReason: 'cancelled' });
  });

  it('a follow-up sent during a turn is queued and sent when the turn ends', async () => {
    const session = open();
    await session.start();
    const turn = session.send('slow');
    await until(() => /tick 1/.test(session.conversation.finalMessage()), 'the turn to stream');
    await session.send('echo and then this');
    expect(session.info.queued).toEqual(['echo and then this']);
    await session.cancel();
    await turn;
    await session.idle();
    expect(session.info.queued).toEqual([]);
    expect(session.conversation.finalMessage()).toBe('you said: echo and then this');
  });

  it('an agent that crashes mid-stream fails the session with its exit and last words, and its process group is gone', async () => {
    const session = open();
    await session.start();
    const pid = (session as unknown as { process: { pid: number } }).process.pid;
    await expect(session.send('crash')).rejects.toThrow(/exited with code 3.*simulated crash/s);
    expect(session.info.status).toBe('failed');
    expect(session.error).toMatch(/exited with code 3/);
    await expect(session.send('echo more')).rejects.toThrow(/exited with code 3/);
    await until(() => !processGroupAlive(pid), 'the agent group to be gone');
  });

  it('an agent that never answers initialize fails within the start limit, and is stopped', async () => {
    const session = open(allowAll, { flags: ['--hang-initialize'], startTimeoutMs: 1500 });
    const pid = (session as unknown as { process: { pid: number } }).process.pid;
    await expect(session.start()).rejects.toThrow('the agent did not answer initialize within 1.5 s');
    expect(session.info.status).toBe('failed');
    await until(() => !processGroupAlive(pid), 'the agent to be stopped');
  });

  it('malformed JSON-RPC fails the session naming what the agent wrote', async () => {
    const session = open();
    await session.start();
    await expect(session.send('garbage')).rejects.toThrow('the agent wrote something that is not JSON-RPC: "this is not json"');
  });

  it('a message over the size limit fails the session instead of growing without bound', async () => {
    const session = open(allowAll, { maxMessageBytes: 64 * 1024 });
    await session.start();
    await expect(session.send('huge 200000')).rejects.toThrow(/larger than 64 KiB/);
  });

  it('a permission kind Photon does not know fails the session and allows nothing', async () => {
    let asked = false;
    const session = open(async (q) => {
      asked = true;
      return { optionId: q.options[0]!.id };
    });
    await session.start();
    await expect(session.send('odd-permission')).rejects.toThrow(/permission of a kind Photon does not know \("allow_forever"\)/);
    expect(asked).toBe(false);
  });

  it('close stops the agent process group, what the agent started included', async () => {
    const session = open(allowAll, { flags: ['--child'] });
    await session.start();
    const pid = (session as unknown as { process: { pid: number } }).process.pid;
    expect(processGroupAlive(pid)).toBe(true);
    await session.close();
    expect(processGroupAlive(pid)).toBe(false);
    expect(session.info.status).toBe('ended');
  });
});
