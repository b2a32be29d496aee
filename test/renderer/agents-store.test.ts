import { describe, expect, it } from 'vitest';
import type { AgentStats, SavedAgent } from '../../shared/agents.js';
import { agentSchema } from '../../shared/agents.js';
import { PhotonError } from '../../shared/errors.js';
import type { ToolDetection } from '../../shared/tools.js';
import { createAgentActions } from '../../renderer/agents/agent-actions.js';
import { formatSuccessRate, formatTokens } from '../../renderer/agents/agent-format.js';
import { formatUsd } from '../../renderer/lib/format.js';
import { supportsText, toolState } from '../../renderer/agents/tool-status.js';
import { createClient } from '../../renderer/client/photon-client.js';
import { createPhotonStore } from '../../renderer/store/store.js';
import { loadAgentsPage, syncAgentEvents } from '../../renderer/sync/agents-sync.js';
import { FakeTransport, settle } from './fake-transport.js';

const at = '2026-01-01T00:00:00.000Z';

function saved(id: string, name: string, patch: Record<string, unknown> = {}): SavedAgent {
  return { ...agentSchema.parse({ id, name, tool: 'claude-code', ...patch }), createdAt: at, updatedAt: at };
}

function stats(agentId: string, patch: Partial<AgentStats> = {}): AgentStats {
  return {
    agentId,
    status: 'idle',
    reason: null,
    running: [],
    stepsDone: 0,
    succeeded: 0,
    failed: 0,
    successRate: null,
    averageDurationMs: null,
    costUsd: 0,
    tokens: { input: 0, output: 0 },
    ...patch,
  };
}

function tool(platform: string, patch: Partial<ToolDetection> = {}): ToolDetection {
  return {
    platform,
    label: platform,
    installed: true,
    path: `/usr/bin/${platform}`,
    binary: platform,
    version: '1.0.0',
    minimumVersion: '0.9.0',
    tooOld: false,
    supports: { json: true, resume: true, cost: false, tokens: true, autonomyModes: ['default', 'full'] },
    checkedAt: at,
    ...patch,
  };
}

describe('agents slice', () => {
  it('lists agents by name and keeps each one’s stats until it is gone', () => {
    const store = createPhotonStore();
    store.getState().agentsLoaded([saved('z', 'Zed'), saved('a', 'Ada'), saved('m', 'Mia')]);
    store.getState().agentStatsLoaded([stats('a'), stats('m', { status: 'busy' }), stats('z')]);
    expect(store.getState().agents.list.map((a) => a.id)).toEqual(['a', 'm', 'z']);

    store.getState().agentUpdated(stats('a', { status: 'error', reason: 'exit 1' }));
    expect(store.getState().agents.stats.a!.status).toBe('error');

    store.getState().agentRemoved('m');
    expect(store.getState().agents.list.map((a) => a.id)).toEqual(['a', 'z']);
    expect(Object.keys(store.getState().agents.stats).sort()).toEqual(['a', 'z']);

    // Deleted elsewhere: the next list drops its stats too.
    store.getState().agentsLoaded([saved('a', 'Ada')]);
    expect(Object.keys(store.getState().agents.stats)).toEqual(['a']);
  });

  it('replaces a saved agent in place and adds a new one in name order', () => {
    const store = createPhotonStore();
    store.getState().agentsLoaded([saved('a', 'Ada'), saved('c', 'Cy')]);
    store.getState().agentSaved(saved('a', 'Ada', { model: 'opus' }));
    store.getState().agentSaved(saved('b', 'Bo'));
    const list = store.getState().agents.list;
    expect(list.map((a) => a.id)).toEqual(['a', 'b', 'c']);
    expect(list[0]!.model).toBe('opus');
  });

  it('keeps only names of secrets, whatever else a reply carries', () => {
    const store = createPhotonStore();
    const reply = { available: true, reason: null, names: ['b', 'a'], value: 'sk-should-never-be-kept' };
    store.getState().secretsLoaded(reply);
    expect(store.getState().agents.secrets).toEqual({ available: true, reason: null, names: ['a', 'b'] });
    expect(JSON.stringify(store.getState())).not.toContain('sk-should-never-be-kept');
  });
});

describe('agents sync and actions', () => {
  function setup() {
    let agents = [saved('rev', 'Reviewer')];
    let names = ['ANTHROPIC_API_KEY'];
    const transport = new FakeTransport()
      .handle('agents.list', () => agents)
      .handle('agents.stats', () => agents.map((a) => stats(a.id)))
      .handle('agents.get', (p) => agents.find((a) => a.id === (p as { id: string }).id))
      .handle('agents.save', (p) => {
        const agent = agentSchema.parse((p as { agent: unknown }).agent);
        agents = [...agents.filter((a) => a.id !== agent.id), { ...agent, createdAt: at, updatedAt: at }];
        return { id: agent.id };
      })
      .handle('agents.delete', (p) => {
        agents = agents.filter((a) => a.id !== (p as { id: string }).id);
        return { deleted: true };
      })
      .handle('tools.list', () => [tool('shell'), tool('claude-code', { version: '2.1.0' })])
      .handle('tools.detect', () => [tool('shell'), tool('claude-code', { version: '2.2.0' })])
      .handle('secrets.list', () => ({ available: true, reason: null, names }))
      .handle('secrets.set', (p) => {
        names = [...new Set([...names, (p as { name: string }).name])];
        return null;
      })
      .handle('secrets.delete', (p) => {
        names = names.filter((n) => n !== (p as { name: string }).name);
        return { deleted: true };
      })
      .handle('terminals.create', (p) => ({ id: 't1', title: 'Reviewer', cwd: '/home', status: 'running', params: p }));
    const store = createPhotonStore();
    const client = createClient(transport);
    return { transport, store, client, actions: createAgentActions(client, store) };
  }

  it('loads the page: agents, their stats, the tools and the secret names', async () => {
    const { store, client } = setup();
    await loadAgentsPage(client, store);
    const { agents } = store.getState();
    expect(agents.list.map((a) => a.id)).toEqual(['rev']);
    expect(agents.stats.rev!.status).toBe('idle');
    expect(agents.tools.map((t) => t.version)).toEqual(['1.0.0', '2.1.0']);
    expect(agents.secrets!.names).toEqual(['ANTHROPIC_API_KEY']);
  });

  it('shows the rest of the page when the keychain cannot be listed, and says why', async () => {
    const { transport, store, client } = setup();
    transport.handle('secrets.list', () => {
      throw new PhotonError('internal', 'keychain exploded');
    });
    await loadAgentsPage(client, store);
    expect(store.getState().agents.list).toHaveLength(1);
    expect(store.getState().agents.toolsLoaded).toBe(true);
    expect(store.getState().notices.map((n) => [n.title, n.message])).toEqual([['Could not list secrets', 'keychain exploded']]);
  });

  it('applies agent.updated, and reads the list again for an agent saved elsewhere', async () => {
    const { transport, store, client } = setup();
    await loadAgentsPage(client, store);
    const stop = syncAgentEvents(client, store);
    transport.emit('agent.updated', stats('rev', { status: 'busy', running: [{ runId: 'r1', step: 2 }] }));
    expect(store.getState().agents.stats.rev!.running).toEqual([{ runId: 'r1', step: 2 }]);
    expect(transport.calls('agents.list')).toHaveLength(1);

    await client.call('agents.save', { agent: { id: 'cli-made', name: 'Made by the CLI', tool: 'codex' } });
    transport.emit('agent.updated', stats('cli-made'));
    await settle();
    expect(store.getState().agents.list.map((a) => a.id)).toEqual(['cli-made', 'rev']);
    expect(store.getState().agents.stats['cli-made']).toBeDefined();

    // Deleted in another window: the panel goes here too.
    transport.emit('agent.deleted', { agentId: 'cli-made' });
    expect(store.getState().agents.list.map((a) => a.id)).toEqual(['rev']);
    stop();
  });

  it('saves an agent and shows it; a refusal comes back for the form instead of a notice', async () => {
    const { transport, store, actions } = setup();
    const outcome = await actions.save(agentSchema.parse({ id: 'new', name: 'New one', tool: 'gemini' }));
    expect(outcome).toEqual({ ok: true });
    expect(store.getState().agents.list.map((a) => a.id)).toEqual(['new', 'rev']);
    expect(store.getState().agents.stats.new!.status).toBe('idle');

    transport.handle('agents.save', () => {
      throw new PhotonError('invalid', 'agent.name: Too small');
    });
    expect(await actions.save(agentSchema.parse({ id: 'x', name: 'x', tool: 'codex' }))).toEqual({ ok: false, error: { code: 'invalid', message: 'agent.name: Too small' } });
    expect(store.getState().notices).toEqual([]);
    expect(store.getState().busy).toEqual({});
  });

  it('deletes an agent; a refusal (it is running a step) becomes a notice and keeps the panel', async () => {
    const { transport, store, client, actions } = setup();
    await loadAgentsPage(client, store);
    transport.handle('agents.delete', () => {
      throw new PhotonError('conflict', 'agent "rev" is running a step');
    });
    await actions.remove('rev');
    expect(store.getState().agents.list).toHaveLength(1);
    expect(store.getState().notices[0]!.message).toBe('agent "rev" is running a step');

    transport.handle('agents.delete', () => ({ deleted: true }));
    await actions.remove('rev');
    expect(store.getState().agents.list).toEqual([]);
  });

  it('detects the tools again with a busy mark while it runs', async () => {
    const { store, actions } = setup();
    const busySeen: boolean[] = [];
    const stop = store.subscribe((s) => busySeen.push(Boolean(s.busy['tools:detect'])));
    await actions.detectTools();
    stop();
    expect(busySeen[0]).toBe(true);
    expect(store.getState().busy).toEqual({});
    expect(store.getState().agents.tools.find((t) => t.platform === 'claude-code')!.version).toBe('2.2.0');
  });

  it('sets and deletes a secret by name; the value goes to the engine and nowhere in the store', async () => {
    const { transport, store, actions } = setup();
    expect(await actions.setSecret('OPENAI_API_KEY', 'sk-test-value-42')).toEqual({ ok: true });
    expect(transport.calls('secrets.set')).toEqual([{ name: 'OPENAI_API_KEY', value: 'sk-test-value-42' }]);
    expect(store.getState().agents.secrets!.names).toEqual(['ANTHROPIC_API_KEY', 'OPENAI_API_KEY']);
    expect(JSON.stringify(store.getState())).not.toContain('sk-test-value-42');

    await actions.deleteSecret('ANTHROPIC_API_KEY');
    expect(store.getState().agents.secrets!.names).toEqual(['OPENAI_API_KEY']);
  });

  it('reports a keychain that is missing to the secrets form', async () => {
    const { transport, actions } = setup();
    transport.handle('secrets.set', () => {
      throw new PhotonError('unavailable', 'No OS keychain (Secret Service) is available; install gnome-keyring');
    });
    expect(await actions.setSecret('X', 'v')).toEqual({ ok: false, error: { code: 'unavailable', message: 'No OS keychain (Secret Service) is available; install gnome-keyring' } });
  });

  it('opens an agent’s tool, or a tool in a folder, in a new tab of the dock', async () => {
    const { transport, store, actions } = setup();
    expect(await actions.openInTerminal({ agentId: 'rev' })).toBe(true);
    expect(await actions.openInTerminal({ tool: 'codex', cwd: '/src' })).toBe(true);
    expect(transport.calls('terminals.create')).toEqual([{ agentId: 'rev' }, { tool: 'codex', cwd: '/src' }]);
    expect(store.getState().terminals.tabs).toEqual(['t1']);
    expect(store.getState().terminals.dockOpen).toBe(true);

    transport.handle('terminals.create', () => {
      throw new PhotonError('not_found', 'no agent "gone"');
    });
    expect(await actions.openInTerminal({ agentId: 'gone' })).toBe(false);
    expect(store.getState().notices.at(-1)).toMatchObject({ title: 'Could not open agent "gone" in a terminal', message: 'no agent "gone"' });
  });
});

describe('how agents and tools read', () => {
  it('says a record, a cost and tokens in words', () => {
    expect(formatSuccessRate({ successRate: null, succeeded: 0, failed: 0 })).toBe('—');
    expect(formatSuccessRate({ successRate: 5 / 6, succeeded: 5, failed: 1 })).toBe('83 % (5 of 6)');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.0123)).toBe('$0.0123');
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatTokens({ input: 1200, output: 340 })).toBe('1,200 in · 340 out');
  });

  it('tells a tool’s state by word and symbol, and what it supports', () => {
    expect(toolState(tool('codex'))).toEqual({ state: 'ready', label: 'Installed', icon: '✓' });
    expect(toolState(tool('codex', { installed: false, path: null })).label).toBe('Not installed');
    expect(toolState(tool('codex', { tooOld: true, error: 'too old' })).label).toBe('Too old');
    expect(toolState(tool('codex', { error: 'does not list --json' })).label).toBe('Installed, with a problem');
    expect(supportsText(tool('codex'))).toBe('JSON output, resume, tokens');
    expect(supportsText(tool('aider', { supports: { json: false, resume: false, cost: false, tokens: false, autonomyModes: [] } }))).toBe('text output');
  });
});
