import { describe, expect, it } from 'vitest';
import { sessionChoices } from '../../renderer/sessions/session-choices.js';
import { acceptsMessages, sendLabel, stopReasonWords, turnRunning, usageText } from '../../renderer/sessions/session-words.js';
import type { ToolDetection } from '../../shared/tools.js';

const tool = (platform: string, label: string, acp: ToolDetection['acp']): ToolDetection =>
  ({ platform, label, installed: true, path: `/usr/bin/${platform}`, acp, checkedAt: '2026-12-05T00:00:00.000Z' }) as ToolDetection;

describe('a session in words', () => {
  it('queues a message while a turn runs and offers Stop turn only then; an ended session takes none', () => {
    expect(sendLabel('idle')).toBe('Send');
    expect(sendLabel('working')).toBe('Queue');
    expect(turnRunning('cancelling')).toBe(true);
    expect(turnRunning('idle')).toBe(false);
    expect(acceptsMessages('ended')).toBe(false);
    expect(acceptsMessages('failed')).toBe(false);
  });

  it('says the usage the agent reported, and nothing when it reported none', () => {
    expect(usageText({ inputTokens: 12_000, outputTokens: 400, contextUsed: 12_400, contextSize: 200_000, costUsd: 0.0312 })).toBe('12,400 tokens · context 12,400 of 200,000 · $0.0312');
    expect(usageText({})).toBeNull();
    expect(stopReasonWords('cancelled')).toBe('Turn stopped');
  });
});

describe('New session’s choices', () => {
  it('offers saved agents of tools with an ACP mode, then the tools; a missing adapter says how to install it; tools without ACP are left out', () => {
    const tools = [
      tool('claude-code', 'Claude Code', { available: true, path: '/bin/claude-agent-acp', command: 'claude-agent-acp', install: 'npm install -g @zed-industries/claude-agent-acp' }),
      tool('codex', 'Codex', { available: false, path: null, command: 'codex-acp', install: 'npm install -g @zed-industries/codex-acp' }),
      tool('aider', 'Aider', undefined),
    ];
    const choices = sessionChoices(tools, [
      { id: 'reviewer', name: 'Reviewer', tool: 'claude-code' },
      { id: 'fixer', name: 'Fixer', tool: 'aider' },
    ]);
    expect(choices.map((c) => [c.label, c.tool, c.agentId, c.agentName, c.available])).toEqual([
      ['Reviewer', 'claude-code', 'reviewer', 'Reviewer', true],
      ['Claude Code', 'claude-code', null, null, true],
      ['Codex', 'codex', null, null, false],
    ]);
    expect(choices[2]!.why).toBe('its ACP adapter is not installed: npm install -g @zed-industries/codex-acp');
  });
});
