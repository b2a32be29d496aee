import { describe, expect, it } from 'vitest';
import { claudeCodeAdapter, zaiAdapter } from '../../../electron/engine/tools/index.js';
import { asPty, fixture } from './tool-test-helpers.js';

const parse = claudeCodeAdapter.parseOutput;

describe('Claude Code stream-json output', () => {
  it('reads the final message, session, cost, tokens and turns of a successful run', () => {
    for (const text of [fixture('claude/success.jsonl'), asPty(fixture('claude/success.jsonl'))]) {
      expect(parse(text, { exitCode: 0 })).toEqual({
        output: 'One test fails: `cart.total()` rounds before summing.\n\nI fixed the rounding in src/cart.ts; all 43 tests pass now.',
        sessionId: '3f1c2a9e-8d4b-4b6e-9a51-0c2d7e4f5a10',
        costUsd: 0.04821,
        // Anthropic counts cache reads and writes apart from input_tokens.
        tokens: { input: 14 + 3130 + 37710, output: 612, cached: 37710, cacheWrite: 3130 },
        turns: 4,
      });
    }
  });

  it('tolerates stderr noise between events and a line with a spinner before it', () => {
    const lines = fixture('claude/success.jsonl').split('\n');
    const noisy = [lines[0], '[DEBUG] hook PreToolUse matched 0 hooks', `\x1b[2K\r${lines[1]}`, ...lines.slice(2)].join('\r\n');
    const result = parse(noisy, { exitCode: 0 });
    expect(result.error).toBeUndefined();
    expect(result.output).toContain('all 43 tests pass now');
  });

  it('reports an error result with the errors the CLI gave', () => {
    const result = parse(fixture('claude/error-during-execution.jsonl'), { exitCode: 1 });
    expect(result.error).toBe('Claude Code failed during execution: API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}');
    expect(result.sessionId).toBe('9d0e1f2a-0000-4000-8000-000000000002');
    expect(result.costUsd).toBe(0.0061);
    expect(result.output).toBe('Let me check the build.');
  });

  it('reports the turn limit', () => {
    const result = parse(asPty(fixture('claude/max-turns.jsonl')), { exitCode: 1 });
    expect(result.error).toBe('Claude Code reached its turn limit after 3 turns: Reached maximum number of turns (3)');
    expect(result.turns).toBe(3);
    expect(result.costUsd).toBe(0.0214);
    expect(result.tokens).toEqual({ input: 9 + 1200 + 5400, output: 140, cached: 5400, cacheWrite: 1200 });
  });

  it('reports a success result flagged is_error (captured from claude 2.1.329 signed out)', () => {
    const result = parse(fixture('claude/not-logged-in.jsonl'), { exitCode: 1 });
    expect(result.error).toBe('Claude Code reported an error: Not logged in · Please run /login');
    expect(result.sessionId).toBe('9ca346f6-d9c0-41ea-b2a5-053793aa6eb4');
    expect(result.costUsd).toBe(0);
    // Signed out is not transient, and its message is not something the step produced.
    expect(result.authFailure).toBe(true);
    expect(result.output).toBe('');
  });

  it('counts the tokens of every request from modelUsage, as total_cost_usd does (2.1.197: a session title, then the main loop)', () => {
    // result.usage alone says 3,952 in / 10 out: the main loop only, beside the cost of both requests.
    expect(parse(asPty(fixture('claude/model-usage.jsonl')), { exitCode: 0 })).toMatchObject({
      output: 'Two files changed.',
      costUsd: 0.02311,
      tokens: { input: 2349 + 3100 + 852, output: 30, cached: 0, cacheWrite: 852 },
    });
  });

  it('takes a refused key (api_error_status 401) as an auth failure, keeping what the step said before as its output', () => {
    const result = parse(asPty(fixture('claude/auth-401.jsonl')), { exitCode: 1 });
    expect(result.authFailure).toBe(true);
    expect(result.error).toMatch(/^Claude Code reported an error \(HTTP 401\): Failed to authenticate\. API Error: 401/);
    expect(result.output).toBe('Let me look at the tests.');
  });

  it('does not take a server error for an auth failure', () => {
    expect(parse(fixture('claude/error-during-execution.jsonl'), { exitCode: 1 }).authFailure).toBeUndefined();
  });

  it('reports a crash mid-stream: no result, the last words and what stderr said', () => {
    const result = parse(asPty(fixture('claude/crash.txt')), { exitCode: 134 });
    expect(result.output).toBe('Starting the migration.');
    expect(result.sessionId).toBe('1a2b3c4d-0000-4000-8000-000000000004');
    expect(result.error).toMatch(/^Claude Code stopped before reporting a result \(exited with code 134\): .*JavaScript heap out of memory/s);
    expect(result.costUsd).toBeUndefined();
  });

  it('reports a usage error that printed no event at all', () => {
    const result = parse(fixture('claude/needs-verbose.txt'), { exitCode: 1 });
    expect(result).toEqual({ output: '', error: 'Claude Code stopped before reporting a result (exited with code 1): Error: When using --print, --output-format=stream-json requires --verbose' });
  });

  it('says so when the process was killed before its result', () => {
    const lines = fixture('claude/success.jsonl').split('\n').slice(0, 3).join('\n');
    expect(parse(lines, { exitCode: null }).error).toBe('Claude Code stopped before reporting a result (was killed before it finished)');
  });

  it('does not trust a success result when the process then failed', () => {
    expect(parse(fixture('claude/success.jsonl'), { exitCode: 2 }).error).toBe('Claude Code exited with code 2 after reporting success');
  });
});

describe('Z.AI output (Claude Code against GLM)', () => {
  it('reads the message and tokens but no cost: Claude Code prices at Anthropic rates', () => {
    const result = zaiAdapter.parseOutput(asPty(fixture('claude/zai-success.jsonl')), { exitCode: 0 });
    expect(result).toEqual({
      output: 'The README explains setup in three steps.',
      sessionId: '7b7b7b7b-0000-4000-8000-000000000005',
      tokens: { input: 5210, output: 48, cached: 0, cacheWrite: 0 },
      turns: 1,
    });
  });

  it('names Z.AI in its errors', () => {
    expect(zaiAdapter.parseOutput(fixture('claude/max-turns.jsonl'), { exitCode: 1 }).error).toMatch(/^Z\.AI \(Claude Code\) reached its turn limit/);
  });
});
