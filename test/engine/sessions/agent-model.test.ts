/**
 * A saved agent's model reaches its ACP agent, in its workflow steps and its standalone sessions:
 * here `claude-agent-acp` is the stand-in ACP agent, which keeps a model set with
 * `session/set_config_option` (as the real adapter does) and names it when prompted `model`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import type { SessionEntry } from '../../../shared/sessions.js';
import { removeDir, stepOf } from '../helpers.js';
import { startEngineWithStandIn, until } from './stand-in.js';

let root: string;
let work: string;
let engine: Engine;

beforeEach(async () => {
  ({ root, work, engine } = await startEngineWithStandIn('agent-model'));
});
afterEach(async () => {
  await engine.close();
  removeDir(root);
});

const modelStep = (step: number, agent: string) => ({ step, agent, platform: 'claude-code', mode: 'session', inputs: { prompt: 'model' }, dependencies: [] });

describe("an agent's model in its ACP sessions", () => {
  it("reaches the agent in a step of an agent with a model, and nothing is set for one without", async () => {
    await engine.call('agents.save', { agent: { id: 'writer', name: 'Writer', tool: 'claude-code', model: 'sonnet' } });
    await engine.call('agents.save', { agent: { id: 'plain', name: 'Plain', tool: 'claude-code' } });
    const { runId } = await engine.call('runs.start', { workflow: { name: 'models', workflow: [modelStep(1, 'writer'), modelStep(2, 'plain')] }, baseDir: work });
    await engine.waitForRun(runId);
    const detail = await engine.call('runs.get', { runId });
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', output: 'model=sonnet' });
    expect(stepOf(detail, 2)).toMatchObject({ status: 'succeeded', output: 'model=' });
    expect((await engine.call('sessions.list', { runId })).map((info) => info.stepId).sort()).toEqual(['1', '2']);
  });

  it("reaches the agent in the agent's standalone session", async () => {
    await engine.call('agents.save', { agent: { id: 'writer', name: 'Writer', tool: 'claude-code', model: 'opus' } });
    const entries: SessionEntry[] = [];
    engine.on('session.entry', ({ index, entry }) => (entries[index] = entry));
    const started = await engine.call('sessions.start', { agentId: 'writer', cwd: work });
    await engine.call('sessions.send', { id: started.id, text: 'model' });
    await until(() => entries.some((e) => e.type === 'turn_end'), 'the turn to end');
    expect(entries.find((e) => e.type === 'message' && e.role === 'agent')).toMatchObject({ text: 'model=opus' });
    await engine.call('sessions.close', { id: started.id });
  });

  it('fails the step, naming the model and the ones the agent offers, when the agent does not know it', async () => {
    await engine.call('agents.save', { agent: { id: 'typo', name: 'Typo', tool: 'claude-code', model: 'sonet' } });
    const { runId } = await engine.call('runs.start', { workflow: { name: 'typo', workflow: [modelStep(1, 'typo')] }, baseDir: work });
    await engine.waitForRun(runId);
    const step = stepOf(await engine.call('runs.get', { runId }), 1);
    expect(step.status).toBe('failed');
    expect(step.error).toContain(`the agent would not use the model "sonet" (Invalid value for config option model: sonet); it offers: default, sonnet, opus, haiku; change the agent's model`);
  });
});
