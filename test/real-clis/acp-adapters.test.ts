/**
 * The real ACP adapters from npm as Photon sessions, against the stand-in model server: Claude Code
 * through @zed-industries/claude-agent-acp (the Claude Agent SDK's own Claude Code) and Codex through
 * @zed-industries/codex-acp (its own Codex core, a native binary). Each session is one of the
 * suite's saved agents (base URL in its variables, key from the keychain), as "New session" starts
 * it. The model answers with a tool call that writes a file; the adapter asks permission; the
 * request waits in Photon's inbox until it is answered there; then the file is on disk, and the
 * conversation, final message and usage are what the session keeps.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acpEngine, until, waitingRequest, type AcpEngine } from './acp-session.js';
import { adapterOrSkip, agentIds, useRealClis } from './harness.js';

const context = useRealClis();
let acp: AcpEngine | undefined;

afterEach(async () => {
  await acp?.engine.close();
  acp = undefined;
});

describe('the real ACP adapters as Photon sessions', () => {
  it('claude-agent-acp: streams the answer, asks to write a file, waits in the inbox, writes it once allowed there, and records usage and cost', async (test) => {
    const adapter = adapterOrSkip(context, 'claude-agent-acp', test);
    if (!adapter) return;
    acp = await acpEngine(context);
    const session = await acp.engine.call('sessions.start', { agentId: agentIds.claude, cwd: context.work });
    expect(session).toMatchObject({ tool: 'claude-code', agentName: 'Claude', status: 'idle' });

    const file = join(context.work, 'claude-acp.txt');
    await acp.engine.call('sessions.send', { id: session.id, text: `write the file ${file} with: CLAUDE-ACP-WROTE [tag:claude-acp]` });
    const request = await waitingRequest(acp, session.id, 1);
    expect(request).toMatchObject({ kind: 'permission', tool: 'claude-code', agentName: 'Claude', toolKind: 'edit', diffs: [{ path: file, oldText: null, newText: 'CLAUDE-ACP-WROTE\n' }] });
    // Asked, not done: nothing is written until the inbox answers.
    expect(existsSync(file)).toBe(false);
    expect(await acp.engine.call('approvals.answer', { ids: [request.id], answer: 'once' })).toMatchObject([{ ok: true }]);

    await until(() => acp!.turnsEnded(session.id) === 1, 'the turn to end');
    expect(readFileSync(file, 'utf8')).toBe('CLAUDE-ACP-WROTE\n');
    const { info, entries } = await acp.engine.call('sessions.get', { id: session.id });
    expect(entries.filter((e) => e.type === 'tool_call')).toMatchObject([{ call: { kind: 'edit', status: 'completed', diffs: [{ path: file, newText: 'CLAUDE-ACP-WROTE\n' }] } }]);
    expect(acp.lastAgentText(session.id)).toBe(`TOOL-SAID: File created successfully at: ${file}`);
    // The answer arrived as it streamed, before the turn's end.
    const ended = acp.events.findIndex((e) => e.entry.type === 'turn_end');
    expect(acp.events.slice(0, ended).some((e) => e.entry.type === 'message' && e.entry.role === 'agent' && e.entry.text.startsWith('TOOL-SAID'))).toBe(true);

    // What the model server charged for the turn, as Claude Code's SDK reported it (uncached input apart).
    const served = context.server.requestsOf('claude-acp').filter((r) => r.status === 200);
    expect(served.map((r) => r.credential)).toEqual(served.map(() => 'x-api-key'));
    const sum = (pick: (u: NonNullable<(typeof served)[number]['usage']>) => number) => served.reduce((total, r) => total + (r.usage ? pick(r.usage) : 0), 0);
    expect(info.usage).toMatchObject({
      inputTokens: sum((u) => u.input - u.cacheRead - u.cacheWrite),
      outputTokens: sum((u) => u.output),
      cachedReadTokens: sum((u) => u.cacheRead),
      cachedWriteTokens: sum((u) => u.cacheWrite),
    });
    expect(info.usage.costUsd).toBeGreaterThan(0);
  });

  it('codex-acp: signs in with the agent key, asks to run the command that writes a file, runs it once allowed from the inbox, and records the context used', async (test) => {
    const adapter = adapterOrSkip(context, 'codex-acp', test);
    if (!adapter) return;
    acp = await acpEngine(context);
    const session = await acp.engine.call('sessions.start', { agentId: agentIds.codex, cwd: context.work });
    expect(session).toMatchObject({ tool: 'codex', agentName: 'Codex', status: 'idle' });

    const file = join(context.work, 'codex-acp.txt');
    await acp.engine.call('sessions.send', { id: session.id, text: `write the file ${file} with: CODEX-ACP-WROTE [tag:codex-acp]` });
    const request = await waitingRequest(acp, session.id, 1);
    expect(request).toMatchObject({ kind: 'permission', tool: 'codex', agentName: 'Codex', toolKind: 'execute' });
    expect(request.command).toContain(`printf '%s\\n' 'CODEX-ACP-WROTE' > '${file}'`);
    expect(existsSync(file)).toBe(false);
    expect(await acp.engine.call('approvals.answer', { ids: [request.id], answer: 'once' })).toMatchObject([{ ok: true }]);

    await until(() => acp!.turnsEnded(session.id) === 1, 'the turn to end');
    // Run in Codex's own sandbox, writable in the session's folder.
    expect(readFileSync(file, 'utf8')).toBe('CODEX-ACP-WROTE\n');
    const { info, entries } = await acp.engine.call('sessions.get', { id: session.id });
    expect(entries.filter((e) => e.type === 'tool_call')).toMatchObject([{ call: { kind: 'execute', status: 'completed' } }]);
    expect(acp.lastAgentText(session.id)).toMatch(/^TOOL-SAID: .*Process exited with code 0/);
    const served = context.server.requestsOf('codex-acp').filter((r) => r.status === 200);
    expect(served.length).toBeGreaterThanOrEqual(2);
    expect(served.every((r) => r.credential === 'authorization')).toBe(true);
    // codex-acp reports the context window only, no tokens (CLI-FACTS.md).
    expect(info.usage.contextUsed).toBeGreaterThan(0);
    expect(info.usage.contextSize).toBeGreaterThan(info.usage.contextUsed!);

    // Its sign-in wrote the key into a Codex home of the session's own, never the user's, and that
    // goes with the session.
    const sessionFolders = () => readdirSync(join(context.dataDir, 'terminals'));
    expect(sessionFolders().filter((name) => existsSync(join(context.dataDir, 'terminals', name, 'codex-home', 'auth.json')))).toHaveLength(1);
    expect(existsSync(join(context.home, '.codex', 'auth.json'))).toBe(false);
    await acp.engine.close();
    acp = undefined;
    expect(sessionFolders()).toEqual([]);
  });
});
