/**
 * The approvals inbox against real sessions of the stand-in ACP agent and a real SQLite file: what
 * waits, what rules answer, who is recorded, and what can no longer be answered.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalItem } from '../../../shared/approvals.js';
import { ApprovalsService, type ApprovalContext } from '../../../electron/engine/approvals/index.js';
import type { AgentSession } from '../../../electron/engine/sessions/index.js';
import { openStorage, type Storage } from '../../../electron/engine/storage/index.js';
import { makeTempDir, removeDir } from '../helpers.js';
import { standInSession, until } from '../sessions/stand-in.js';

let root: string;
let work: string;
let storage: Storage;
let service: ApprovalsService;
let announced: ApprovalItem[];
const sessions: AgentSession[] = [];

beforeEach(() => {
  root = makeTempDir('approvals');
  work = makeTempDir('approvals-work');
  storage = openStorage(root);
  announced = [];
  service = new ApprovalsService(storage.approvals, (item) => announced.push(item));
});
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  storage.close();
  removeDir(root);
  removeDir(work);
});

async function open(context: Partial<ApprovalContext> = {}): Promise<AgentSession> {
  const session = standInSession(work, service.broker({ tool: 'stand-in', agentName: 'builder', cwd: work, ...context }));
  sessions.push(session);
  await session.start();
  return session;
}

const waitingItems = () => service.list({ waitingOnly: true });

describe('the approvals inbox', () => {
  it('holds a request until a person allows it once; a second answer is refused naming who answered', async () => {
    const session = await open();
    const file = join(work, 'a.txt');
    const turn = session.send(`edit ${file} hello`);
    await until(() => waitingItems().length === 1, 'the request in the inbox');
    const [item] = waitingItems();
    expect(item).toMatchObject({ kind: 'permission', status: 'waiting', tool: 'stand-in', agentName: 'builder', toolKind: 'edit', title: `Edit ${file}`, diffs: [{ path: file, newText: 'hello\n' }] });
    expect(existsSync(file)).toBe(false);

    const [result] = await service.answer([item!.id], 'once');
    expect(result).toMatchObject({ ok: true, item: { status: 'allowed', answer: 'once', answeredBy: 'person' } });
    await turn;
    expect(readFileSync(file, 'utf8')).toBe('hello\n');

    const [again] = await service.answer([item!.id], 'deny');
    expect(again).toMatchObject({ ok: false, reason: expect.stringMatching(/already allowed by a person at/) });
    expect(announced.map((a) => a.status)).toEqual(['waiting', 'allowed']);
  });

  it('takes an answer given within the announcement itself, and announces the request before the answer', async () => {
    const seen: string[] = [];
    const eager = new ApprovalsService(storage.approvals, (item) => {
      // The first listener answers at once; the one after it must still see the request first.
      if (item.status === 'waiting') void eager.answer([item.id], 'once');
      seen.push(item.status);
    });
    const session = standInSession(work, eager.broker({ tool: 'stand-in', cwd: work }));
    sessions.push(session);
    await session.start();
    const file = join(work, 'eager.txt');
    await session.send(`edit ${file} at once`);
    expect(readFileSync(file, 'utf8')).toBe('at once\n');
    expect(seen).toEqual(['waiting', 'allowed']);
  });

  it('deny keeps the file as it was and gives the agent the message', async () => {
    const session = await open();
    const file = join(work, 'b.txt');
    const turn = session.send(`edit ${file} nope`);
    await until(() => waitingItems().length === 1, 'the request');
    const [result] = await service.answer([waitingItems()[0]!.id], 'deny', 'echo please write tests first');
    expect(result).toMatchObject({ ok: true, item: { status: 'denied', message: 'echo please write tests first' } });
    await turn;
    await session.idle();
    expect(existsSync(file)).toBe(false);
    expect(session.conversation.finalMessage()).toBe('you said: echo please write tests first');
  });

  it('allow always adds a rule for the agent that answers the next such request', async () => {
    const session = await open();
    const first = session.send('shell npm test');
    await until(() => waitingItems().length === 1, 'the request');
    const id = waitingItems()[0]!.id;
    await service.answer([id], 'always');
    await first;
    expect(service.rules('agent', 'builder')).toMatchObject([{ action: 'allow', match: { kinds: ['execute'], commandPrefix: 'npm' }, createdBy: `approval:${id}` }]);
    await session.send('shell npm run build');
    expect(session.conversation.finalMessage()).toBe('ran npm run build');
    const [latest] = service.list();
    expect(latest).toMatchObject({ status: 'allowed', answeredBy: `rule:${service.rules('agent', 'builder')[0]!.id}`, command: 'npm run build' });
    const other = session.send('shell make');
    await until(() => waitingItems().length === 1, 'another program still asked');
    expect(waitingItems()[0]).toMatchObject({ command: 'make' });
    await service.answer([waitingItems()[0]!.id], 'deny');
    await other;
  });

  it('allow for this run covers the same program for the rest of the run only', async () => {
    const session = await open();
    const first = session.send('shell pytest -k one');
    await until(() => waitingItems().length === 1, 'the request');
    const id = waitingItems()[0]!.id;
    await service.answer([id], 'run');
    await first;
    await session.send('shell pytest -k two');
    expect(service.list()[0]).toMatchObject({ status: 'allowed', answeredBy: `run:${id}` });
    expect(service.rules('agent', 'builder')).toEqual([]);
  });

  it('rules allow reads and edits inside the folder and deny network commands, recording which rule', async () => {
    const rules = service.setRules('workflow', 'wf-1', [
      { match: { network: true }, action: 'deny' },
      { match: { kinds: ['edit'], insideFolder: true }, action: 'allow' },
      { match: { kinds: ['execute'] }, action: 'ask' },
    ]);
    const session = await open({ workflowId: 'wf-1' });
    const inside = join(work, 'inside.txt');
    await session.send(`edit ${inside} ok`);
    expect(readFileSync(inside, 'utf8')).toBe('ok\n');
    expect(service.list()[0]).toMatchObject({ status: 'allowed', answeredBy: `rule:${rules[1]!.id}` });

    await session.send('network');
    expect(session.conversation.finalMessage()).toBe('not allowed to run curl https://example.com');
    expect(service.list()[0]).toMatchObject({ status: 'denied', answeredBy: `rule:${rules[0]!.id}`, command: 'curl https://example.com' });

    const outside = join(root, 'outside.txt');
    const turn = session.send(`edit ${outside} no`);
    await until(() => waitingItems().length === 1, 'an edit outside the folder to be asked');
    await service.answer([waitingItems()[0]!.id], 'deny');
    await turn;
    expect(existsSync(outside)).toBe(false);
  });

  it('answers a batch across three parallel sessions at once', async () => {
    const all = await Promise.all([open(), open(), open()]);
    const files = all.map((_, i) => join(work, `f${i}.txt`));
    const turns = all.map((session, i) => session.send(`edit ${files[i]} from-${i}`));
    await until(() => waitingItems().length === 3, 'three requests');
    const results = await service.answer(waitingItems().map((i) => i.id), 'once');
    expect(results.every((r) => r.ok)).toBe(true);
    await Promise.all(turns);
    expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(['from-0\n', 'from-1\n', 'from-2\n']);
    expect(new Set(service.list().map((i) => i.sessionId)).size).toBe(3);
  });

  it('a request whose session ended is closed, and answering it is refused with that reason', async () => {
    const session = await open();
    void session.send('shell ls').catch(() => undefined);
    await until(() => waitingItems().length === 1, 'the request');
    const id = waitingItems()[0]!.id;
    await session.close();
    await until(() => service.list()[0]?.status === 'cancelled', 'the request to close');
    const [result] = await service.answer([id], 'once');
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/cannot be answered: it was closed: its turn was cancelled or its session ended/) });
    expect((await service.answer(['nope'], 'once'))[0]).toMatchObject({ ok: false, reason: expect.stringMatching(/no approval request nope/) });
  });

  it('a request unanswered within the step timeout fails the session with that reason', async () => {
    const session = await open({ timeoutMs: 800 });
    await expect(session.send('shell make deploy')).rejects.toThrow(`the permission request "Run make deploy" was not answered within the step's timeout (0.8 s)`);
    expect(session.info.status).toBe('failed');
    expect(service.list()[0]).toMatchObject({ status: 'expired', answeredBy: 'timeout' });
  });
});
