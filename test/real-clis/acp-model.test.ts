/**
 * A saved agent's model reaches the real ACP adapters: a session of a copy of each suite agent with
 * a model set, and the stand-in model server is asked for that model. Claude Code's adapter takes
 * it over ACP after session/new (it otherwise picks its first listed model, a Sonnet), Codex's as
 * `-c model=`, Gemini's as `--model`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { acpEngine, until, type AcpEngine } from './acp-session.js';
import { adapterOrSkip, agentIds, skipWithoutClis, useRealClis } from './harness.js';

type CliName = keyof typeof agentIds;

const context = useRealClis();
let acp: AcpEngine | undefined;

afterEach(async () => {
  await acp?.engine.close();
  acp = undefined;
});

/** One turn of a session of `cli`'s suite agent saved again with `model`; the models the server was asked for. */
async function modelsAsked(cli: CliName, model: string): Promise<string[]> {
  acp = await acpEngine(context);
  const { createdAt: _c, updatedAt: _u, ...saved } = await acp.engine.call('agents.get', { id: agentIds[cli] });
  const id = `${agentIds[cli]}-model`;
  await acp.engine.call('agents.save', { agent: { ...saved, id, name: `${saved.name} with a model`, model } });
  const session = await acp.engine.call('sessions.start', { agentId: id, cwd: context.work });
  const tag = `${cli}-model`;
  await acp.engine.call('sessions.send', { id: session.id, text: `reply with: MODEL-CHOSEN [tag:${tag}]` });
  await until(() => acp!.turnsEnded(session.id) === 1, 'the turn');
  expect(acp.lastAgentText(session.id)).toContain('MODEL-CHOSEN');
  return context.server.requestsOf(tag).flatMap((r) => (r.status === 200 && r.model ? [r.model] : []));
}

describe("a saved agent's model with the real ACP adapters", () => {
  it('claude-agent-acp asks the model server for the agent\'s model ("opus"), not its default', async (test) => {
    if (!adapterOrSkip(context, 'claude-agent-acp', test)) return;
    const asked = await modelsAsked('claude', 'opus');
    expect(asked.some((m) => /opus/.test(m)), asked.join(', ')).toBe(true);
    expect(asked.some((m) => /sonnet/.test(m)), asked.join(', ')).toBe(false);
  });

  it("codex-acp asks for the agent's model", async (test) => {
    if (!adapterOrSkip(context, 'codex-acp', test)) return;
    const asked = await modelsAsked('codex', 'gpt-5-codex');
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set(['gpt-5-codex']));
  });

  it("gemini --acp asks for the agent's model", async (test) => {
    skipWithoutClis(context, test);
    if (!context.setup.ready) return;
    const asked = await modelsAsked('gemini', 'gemini-2.5-flash');
    expect(asked, asked.join(', ')).toContain('gemini-2.5-flash');
  });
});
