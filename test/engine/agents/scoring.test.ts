/**
 * Picking an agent for `"agent": "auto"`: the specification's weights (capability 40 %, past
 * performance 30 %, availability 20 %, location 10 %), ties broken by id, agents whose tool is
 * missing left out, and the reason written out.
 */
import { describe, expect, it } from 'vitest';
import { rankAgents, type Candidate } from '../../../electron/engine/agents/index.js';
import { agentSchema, type AgentInput } from '../../../shared/agents.js';

function candidate(agent: AgentInput, extra: Partial<Omit<Candidate, 'agent'>> = {}): Candidate {
  return { agent: agentSchema.parse(agent), history: undefined, running: 0, usable: true, ...extra };
}

const history = (agentId: string, succeeded: number, failed: number) => ({
  agentId,
  finished: succeeded + failed,
  succeeded,
  failed,
  totalDurationMs: 1000,
  costUsd: 0,
  inputTokens: 0,
  outputTokens: 0,
});

describe('rankAgents', () => {
  it('weighs capability match, past performance, free slots and location as the specification says', () => {
    const ranked = rankAgents(
      [
        // Both capabilities, no history (counts as 50 %), idle: 0.4 + 0.15 + 0.2 + 0.1.
        candidate({ id: 'full-match', name: 'A', tool: 'claude-code', capabilities: ['code-analysis', 'testing'] }),
        // Half the capabilities but a perfect record: 0.2 + 0.3 + 0.2 + 0.1.
        candidate({ id: 'half-match', name: 'B', tool: 'codex', capabilities: ['testing'] }, { history: history('half-match', 4, 0) }),
        // Both capabilities, a poor record, one of two slots taken: 0.4 + 0.075 + 0.1 + 0.1.
        candidate({ id: 'busy', name: 'C', tool: 'gemini', capabilities: ['code-analysis', 'testing'], maxConcurrentSteps: 2 }, { history: history('busy', 1, 3), running: 1 }),
      ],
      ['code-analysis', 'testing'],
    );
    expect(ranked.map((r) => [r.agentId, Number(r.score.toFixed(3))])).toEqual([
      ['full-match', 0.85],
      ['half-match', 0.8],
      ['busy', 0.675],
    ]);
    expect(ranked[1]!.why).toBe('score 0.800: capabilities 1/2 (code-analysis, testing), past performance 100% of 4 steps, 1/1 slots free, location local');
    expect(ranked[0]!.why).toContain('past performance no history (counted as 50%)');
  });

  it('leaves out agents with none of the capabilities asked for, however good their record', () => {
    const ranked = rankAgents(
      [
        candidate({ id: 'docs-writer', name: 'D', tool: 'codex', capabilities: ['docs'] }, { history: history('docs-writer', 50, 0) }),
        candidate({ id: 'tester', name: 'T', tool: 'codex', capabilities: ['testing'] }, { history: history('tester', 1, 4), running: 0 }),
      ],
      ['testing', 'code-analysis'],
    );
    expect(ranked.map((r) => r.agentId)).toEqual(['tester']);
    // Asking for nothing, every usable agent is a candidate.
    expect(rankAgents([candidate({ id: 'docs-writer', name: 'D', tool: 'codex', capabilities: ['docs'] })], []).map((r) => r.agentId)).toEqual(['docs-writer']);
  });

  it('breaks ties by id and leaves out agents whose tool cannot run', () => {
    const ranked = rankAgents(
      [
        candidate({ id: 'zeta', name: 'Z', tool: 'codex', capabilities: ['docs'] }),
        candidate({ id: 'alpha', name: 'A', tool: 'codex', capabilities: ['docs'] }),
        candidate({ id: 'missing-tool', name: 'M', tool: 'aider', capabilities: ['docs'] }, { usable: false }),
      ],
      ['docs'],
    );
    expect(ranked.map((r) => r.agentId)).toEqual(['alpha', 'zeta']);
    expect(ranked[0]!.score).toBe(ranked[1]!.score);
  });

  it('scores a full agent lower on availability but still ranks it', () => {
    const ranked = rankAgents([candidate({ id: 'full', name: 'F', tool: 'codex' }, { running: 1 }), candidate({ id: 'free', name: 'G', tool: 'codex' })], []);
    expect(ranked.map((r) => [r.agentId, Number(r.score.toFixed(3))])).toEqual([
      ['free', 0.85],
      ['full', 0.65],
    ]);
  });
});
