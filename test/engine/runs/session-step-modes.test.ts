/**
 * Which AI steps run as ACP sessions, and the rules that answer their requests: a step that asks
 * for a session whose adapter is missing runs headless and says why in its log; the workflow's and
 * the agent's approval rules answer a step session's requests before anyone is asked.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApprovalItem } from '../../../shared/approvals.js';
import { useStandInSandbox, type StandInSandbox } from '../agents/stand-in-engine.js';
import { stepOf, waitUntil } from '../helpers.js';
import { standInAgent } from '../sessions/stand-in.js';
import { makeRepo, tenLines } from '../workspaces/git-repo.js';

describe('a step that asks for a session when the ACP adapter is missing', () => {
  const sandbox = useStandInSandbox('session-fallback', { tools: ['claude'], env: { ANTHROPIC_API_KEY: 'sk-ant-stand-in' } });

  it("runs headless with the tool's CLI, and its log says why", async () => {
    const { engine, work } = sandbox.current;
    const workflow = { name: 'fallback', workflow: [{ step: 1, platform: 'claude-code', mode: 'session', inputs: { prompt: 'Summarise' }, dependencies: [] }] };
    const { runId } = await engine.call('runs.start', { workflow, baseDir: work });
    await engine.waitForRun(runId);
    const detail = await engine.call('runs.get', { runId });
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', output: 'Claude Code received: Summarise' });
    const { attemptHistory } = await engine.call('steps.get', { runId, step: 1 });
    expect(attemptHistory[0]!.tail).toContain(`photon: no "claude-agent-acp" on the login shell's PATH: npm install -g @zed-industries/claude-agent-acp; this step runs headless instead`);
    expect(await engine.call('sessions.list', { runId })).toEqual([]);
  });
});

/** The stand-in ACP agent as claude-agent-acp in the sandbox's bin, found by a fresh detection. */
async function installAdapter(current: StandInSandbox): Promise<void> {
  const adapter = join(current.bin, 'claude-agent-acp');
  writeFileSync(adapter, `#!/bin/sh\nexec "${process.execPath}" "${standInAgent}" "$@"\n`);
  chmodSync(adapter, 0o755);
  await current.engine.call('tools.detect', undefined);
}

describe('an agent given full autonomy, with the ACP adapter installed', () => {
  // IS_SANDBOX: Claude Code refuses to skip permissions as root (as these tests run) without it.
  const sandbox = useStandInSandbox('session-autonomy', { tools: ['claude'], env: { ANTHROPIC_API_KEY: 'sk-ant-stand-in', IS_SANDBOX: '1' } });

  it('runs its steps headless as before, asking nothing, unless a step asks for a session', async () => {
    const { engine, work } = sandbox.current;
    await installAdapter(sandbox.current);
    await engine.call('agents.save', { agent: { id: 'runner', name: 'Runner', tool: 'claude-code', autonomy: 'full' } });
    const workflow = {
      name: 'unattended',
      workflow: [
        { step: 1, agent: 'runner', platform: 'claude-code', inputs: { prompt: 'Summarise' }, dependencies: [] },
        { step: 2, agent: 'runner', platform: 'claude-code', mode: 'session', inputs: { prompt: 'hello' }, dependencies: [] },
      ],
    };
    const { runId } = await engine.call('runs.start', { workflow, baseDir: work });
    await engine.waitForRun(runId);
    const detail = await engine.call('runs.get', { runId });
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', output: 'Claude Code received: Summarise' });
    expect(stepOf(detail, 2)).toMatchObject({ status: 'succeeded', output: 'Hello there' });
    expect((await engine.call('sessions.list', { runId })).map((info) => info.stepId)).toEqual(['2']);
  });
});

describe('a session step in a run with isolation', () => {
  const sandbox = useStandInSandbox('session-worktree', { tools: [] });

  it("works in its own worktree: its request names that folder, its edit is committed for the next step, and the user's checkout is untouched", async () => {
    const { engine, work } = sandbox.current;
    await installAdapter(sandbox.current);
    const repo = makeRepo(join(work, 'repo'));
    const approvals: ApprovalItem[] = [];
    engine.on('approval.updated', (item) => approvals.push(item));
    const workflow = {
      name: 'isolated session',
      workspace: { repo: 'repo' },
      workflow: [
        { step: 1, platform: 'claude-code', inputs: { prompt: 'edit notes.txt changed by the session' }, dependencies: [] },
        { step: 2, platform: 'shell', inputs: { command: 'cat notes.txt' }, dependencies: [1] },
      ],
    };
    const { runId } = await engine.call('runs.start', { workflow, baseDir: work });
    await waitUntil(() => approvals.some((a) => a.status === 'waiting'), 'the request in the inbox', 30_000);
    const waiting = approvals.find((a) => a.status === 'waiting')!;
    const step1 = await engine.call('steps.get', { runId, step: 1 });
    expect(step1.workspace?.path).toBeTruthy();
    expect(waiting.cwd).toBe(step1.workspace!.path);
    await engine.call('approvals.answer', { ids: [waiting.id], answer: 'once' });
    await engine.waitForRun(runId);
    const detail = await engine.call('runs.get', { runId });
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', output: 'Edited notes.txt.' });
    expect(stepOf(detail, 2).output).toBe('changed by the session');
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe(tenLines);
  });
});

describe("approval rules on a step session's requests", () => {
  const sandbox = useStandInSandbox('session-rules', { tools: [] });

  it("answer them before anyone is asked: the workflow's rule allows an edit, the agent's denies a network command", async () => {
    const { engine, work } = sandbox.current;
    await installAdapter(sandbox.current);
    const approvals: ApprovalItem[] = [];
    engine.on('approval.updated', (item) => approvals.push(item));

    await engine.call('agents.save', { agent: { id: 'fetcher', name: 'Fetcher', tool: 'claude-code' } });
    const saved = await engine.call('workflows.save', {
      workflow: {
        name: 'ruled',
        workflow: [
          { step: 1, platform: 'claude-code', inputs: { prompt: 'edit notes.txt by the rule' }, dependencies: [] },
          { step: 2, agent: 'fetcher', platform: 'claude-code', inputs: { prompt: 'network' }, dependencies: [] },
        ],
      },
    });
    await engine.call('approvals.setRules', { scope: 'workflow', target: saved.id, rules: [{ match: { kinds: ['edit'], insideFolder: true }, action: 'allow' }] });
    await engine.call('approvals.setRules', { scope: 'agent', target: 'Fetcher', rules: [{ match: { network: true }, action: 'deny' }] });

    const { runId } = await engine.call('runs.start', { workflowId: saved.id, baseDir: work });
    await engine.waitForRun(runId);
    const detail = await engine.call('runs.get', { runId });
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', output: 'Edited notes.txt.' });
    expect(readFileSync(join(work, 'notes.txt'), 'utf8')).toBe('by the rule\n');
    expect(stepOf(detail, 2)).toMatchObject({ status: 'succeeded', output: 'not allowed to run curl https://example.com' });

    // Nobody was asked; the record says which rule answered each, on its step.
    expect(approvals.filter((a) => a.status === 'waiting')).toEqual([]);
    const record = await engine.call('approvals.list', { runId });
    expect(record.map((a) => [a.step, a.status, a.answeredBy?.split(':')[0]]).sort()).toEqual([
      [1, 'allowed', 'rule'],
      [2, 'denied', 'rule'],
    ]);
  });
});
