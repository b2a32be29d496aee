/**
 * Tools, agents and secrets as any client sees them, over each transport. The engine's PATH holds
 * the Claude Code and Codex stand-ins only, so some tools are installed and the rest are not.
 */
import { describe, expect, it } from 'vitest';
import type { ReplyEnvelope } from '../../shared/api.js';
import type { AgentStats, SavedAgent } from '../../shared/agents.js';
import type { TerminalInfo } from '../../shared/terminals.js';
import type { ToolDetection } from '../../shared/tools.js';
import type { ConnectionFactory } from './connection.js';
import { contractSession } from './session.js';

/** scripts/run-tests.js starts a private D-Bus session with an unlocked keyring and sets this. */
const keychainReady = process.env.PHOTON_REQUIRE_KEYCHAIN === '1';

export function agentsContractSuite(transport: string, connect: ConnectionFactory): void {
  describe(`tools, agents and secrets over ${transport}`, () => {
    const { client, events, value, failure } = contractSession(connect);

    it('lists every tool with what was found, and looks again on tools.detect', async () => {
      const tools = await value<ToolDetection[]>('tools.list');
      expect(tools.map((t) => t.platform)).toEqual(['shell', 'claude-code', 'zai', 'codex', 'gemini', 'agy', 'cursor', 'aider']);
      const byPlatform = new Map(tools.map((t) => [t.platform, t]));
      expect(byPlatform.get('claude-code')).toMatchObject({
        label: 'Claude Code',
        installed: true,
        path: `${client.toolsDir}/claude`,
        binary: 'claude',
        version: '2.1.329',
        minimumVersion: '1.0.0',
        tooOld: false,
        supports: { json: true, cost: true, tokens: true, autonomyModes: ['default', 'auto-edit', 'full'] },
      });
      expect(byPlatform.get('claude-code')).not.toHaveProperty('error');
      expect(byPlatform.get('codex')).toMatchObject({ installed: true, version: '0.171.0' });
      expect(byPlatform.get('gemini')).toMatchObject({ installed: false, path: null, version: null, error: expect.stringMatching(/^Gemini CLI is not installed: no "gemini"/) });
      expect(byPlatform.get('shell')).toMatchObject({ installed: true });

      const again = await value<ToolDetection[]>('tools.detect');
      expect(again.map((t) => [t.platform, t.installed])).toEqual(tools.map((t) => [t.platform, t.installed]));
      expect(Date.parse(again[1]!.checkedAt)).toBeGreaterThanOrEqual(Date.parse(tools[1]!.checkedAt));
    });

    it('saves, gets, lists, updates and deletes an agent, with its defaults filled in and its status announced', async () => {
      expect(await value('agents.save', { agent: { id: 'reviewer', name: 'Reviewer', tool: 'claude-code', capabilities: ['code-review'] } })).toEqual({ id: 'reviewer' });
      const saved = await value<SavedAgent>('agents.get', { id: 'reviewer' });
      expect(saved).toMatchObject({
        id: 'reviewer',
        name: 'Reviewer',
        tool: 'claude-code',
        model: null,
        cwd: null,
        capabilities: ['code-review'],
        location: 'local',
        autonomy: 'default',
        env: {},
        secrets: [],
        maxConcurrentSteps: 1,
      });
      const announced = events.find((e) => e.event === 'agent.updated' && (e.payload as AgentStats).agentId === 'reviewer');
      expect(announced?.payload).toMatchObject({ status: 'idle', stepsDone: 0, costUsd: 0 });

      await new Promise((resolve) => setTimeout(resolve, 5));
      await value('agents.save', { agent: { id: 'reviewer', name: 'Senior reviewer', tool: 'claude-code', model: 'claude-opus-4-1', maxConcurrentSteps: 2 } });
      const updated = await value<SavedAgent>('agents.get', { id: 'reviewer' });
      expect(updated).toMatchObject({ name: 'Senior reviewer', model: 'claude-opus-4-1', maxConcurrentSteps: 2, capabilities: [], createdAt: saved.createdAt });
      expect(updated.updatedAt > saved.updatedAt).toBe(true);

      await value('agents.save', { agent: { id: 'gem', name: 'Gem', tool: 'gemini' } });
      expect((await value<SavedAgent[]>('agents.list')).map((a) => a.id)).toEqual(['gem', 'reviewer']);
      const stats = await value<AgentStats[]>('agents.stats');
      expect(stats.find((s) => s.agentId === 'reviewer')).toMatchObject({ status: 'idle', reason: null });
      expect(stats.find((s) => s.agentId === 'gem')).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/gemini/) });

      expect(await value('agents.delete', { id: 'gem' })).toEqual({ deleted: true });
      // Every client hears of it, so other windows drop the agent's panel.
      await expect.poll(() => events.some((e) => e.event === 'agent.deleted' && (e.payload as { agentId: string }).agentId === 'gem')).toBe(true);
      expect((await failure('agents.get', { id: 'gem' })).error).toMatchObject({ code: 'not_found', message: 'no agent "gem"' });
      expect(await value('agents.delete', { id: 'gem' })).toEqual({ deleted: false });
      expect(events.filter((e) => e.event === 'agent.deleted')).toHaveLength(1);
    });

    it('refuses an invalid agent with `invalid`, naming the field, and stores nothing', async () => {
      const cases: [unknown, RegExp][] = [
        [{ id: 'a', tool: 'claude-code' }, /agent\.name/],
        [{ id: 'a', name: 'A', tool: 'copilot' }, /agent\.tool: .*"claude-code"/],
        [{ id: 'has space', name: 'A', tool: 'codex' }, /agent\.id: use letters, digits/],
        [{ id: 'a', name: 'A', tool: 'codex', maxConcurrentSteps: 0 }, /agent\.maxConcurrentSteps/],
        [{ id: 'a', name: 'A', tool: 'codex', autonomy: 'reckless' }, /agent\.autonomy/],
        [{ id: 'a', name: 'A', tool: 'codex', env: { 'BAD-NAME': 'x' } }, /agent\.env/],
        [{ id: 'a', name: 'A', tool: 'codex', secrets: [{ secret: 'KEY', variable: '1ABC' }] }, /agent\.secrets\[0\]\.variable: must be an environment variable name/],
        [{ id: 'a', name: 'A', tool: 'codex', location: 'cloud' }, /agent\.location/],
        [{ id: 'a', name: 'A', tool: 'codex', password: 'x' }, /password/],
        ['reviewer', /agent/],
      ];
      for (const [agent, mentions] of cases) {
        const { error } = await failure('agents.save', { agent });
        expect(error.code, JSON.stringify(agent)).toBe('invalid');
        expect(error.message, JSON.stringify(agent)).toMatch(mentions);
      }
      // The places come apart from the words too, for a form to put each on its field.
      const { error } = await failure('agents.save', { agent: { id: 'a', name: '', tool: 'codex', secrets: [{ secret: 'KEY', variable: '1ABC' }] } });
      expect(error.details).toEqual({
        issues: [
          { path: 'agent.name', message: expect.any(String) },
          { path: 'agent.secrets[0].variable', message: expect.stringMatching(/environment variable name/) },
        ],
      });
      expect((await value<SavedAgent[]>('agents.list')).some((a) => a.id === 'a')).toBe(false);
      expect((await failure('agents.get', {})).error.message).toMatch(/params\.id/);
    });

    it("opens a tool's interactive session in a terminal, and says how to install a missing one", async () => {
      const terminal = await value<TerminalInfo>('terminals.create', { tool: 'claude-code', cwd: client.workDir });
      expect(terminal).toMatchObject({ command: 'claude', cwd: client.workDir, owner: null });
      expect(terminal.title).toMatch(/^Claude Code · work$/);
      // The tool itself runs in it (the stand-in answers that its interactive mode is not emulated).
      let scrollback = '';
      for (const deadline = Date.now() + 10_000; !scrollback.includes('interactive session') && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        scrollback = (await value<{ scrollback: string }>('terminals.attach', { id: terminal.id })).scrollback;
      }
      expect(scrollback).toContain('claude stand-in: the interactive session is not emulated');
      await value('terminals.close', { id: terminal.id });
      const { error } = await failure('terminals.create', { tool: 'gemini' });
      expect(error.code).toBe('unavailable');
      expect(error.message).toMatch(/^Gemini CLI is not installed: .*To install it: npm install -g @google\/gemini-cli/);
      expect((await failure('terminals.create', { tool: 'copilot' })).error).toMatchObject({ code: 'invalid', message: expect.stringMatching(/copilot/) });
      expect((await failure('terminals.create', { agentId: 'nobody' })).error).toMatchObject({ code: 'not_found', message: 'no agent "nobody"' });
      // A folder that is not there is named with its place, before any terminal opens.
      const missing = `${client.workDir}/not-there`;
      for (const request of [{ tool: 'claude-code', cwd: missing }, { cwd: missing }, { cwd: missing, command: 'ls' }]) {
        expect((await failure('terminals.create', request)).error, JSON.stringify(request)).toMatchObject({
          code: 'invalid',
          message: `terminals.create cwd: folder "${missing}" does not exist; create it or fix the path`,
        });
      }
      expect(await value('agents.save', { agent: { id: 'lost', name: 'Lost', tool: 'shell', cwd: missing } })).toEqual({ id: 'lost' });
      expect((await failure('terminals.create', { agentId: 'lost' })).error).toMatchObject({
        code: 'invalid',
        message: `agent "lost" cwd: folder "${missing}" does not exist; create it or fix the path`,
      });
      await value('agents.delete', { id: 'lost' });
      expect((await value<TerminalInfo[]>('terminals.list')).some((t) => t.cwd === missing)).toBe(false);
      expect((await failure('terminals.create', { tool: 'codex', command: 'ls' })).error.message).toMatch(/at most one of command, tool or agentId/);
    });

    it('refuses a secret with a bad name or an empty value, naming the param', async () => {
      expect((await failure('secrets.set', { name: 'has space', value: 'x' })).error).toMatchObject({ code: 'invalid', message: expect.stringMatching(/params\.name/) });
      expect((await failure('secrets.set', { name: 'OK_NAME', value: '' })).error).toMatchObject({ code: 'invalid', message: expect.stringMatching(/params\.value/) });
      expect((await failure('secrets.delete', { name: '' })).error.message).toMatch(/params\.name/);
    });

    it.runIf(keychainReady)('sets, lists by name and deletes a secret; its value never comes back', async () => {
      const secretValue = 'contract-secret-value-5f0c1';
      const replies: ReplyEnvelope[] = [];
      const request = async (method: string, params?: unknown) => {
        const reply = await client.request(method, params);
        replies.push(reply);
        return reply;
      };
      expect(await request('secrets.set', { name: 'CONTRACT_KEY', value: secretValue })).toMatchObject({ ok: true, value: null });
      expect(await request('secrets.list')).toMatchObject({ ok: true, value: { available: true, reason: null, names: ['CONTRACT_KEY'] } });
      expect(await request('secrets.delete', { name: 'CONTRACT_KEY' })).toMatchObject({ ok: true, value: { deleted: true } });
      expect(await request('secrets.list')).toMatchObject({ ok: true, value: { available: true, names: [] } });
      expect(await request('secrets.delete', { name: 'CONTRACT_KEY' })).toMatchObject({ ok: true, value: { deleted: false } });
      expect(JSON.stringify(replies)).not.toContain(secretValue);
      expect(JSON.stringify(events)).not.toContain(secretValue);
    });
  });
}
