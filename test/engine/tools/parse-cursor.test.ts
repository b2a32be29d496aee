import { describe, expect, it } from 'vitest';
import { cursorAdapter } from '../../../electron/engine/tools/index.js';
import { asPty, fixture } from './tool-test-helpers.js';

const parse = cursorAdapter.parseOutput;

describe('Cursor agent stream-json output', () => {
  it('reads the result text and session; Cursor reports no tokens and no cost', () => {
    for (const text of [fixture('cursor/success.jsonl'), asPty(fixture('cursor/success.jsonl'))]) {
      expect(parse(text, { exitCode: 0 })).toEqual({
        output: 'I\'ll look at the router first.\n\nAdded GET /health returning "ok" in src/health.ts.',
        sessionId: 'c6b62c6f-7ead-4fd6-9922-e952131177ff',
      });
    }
  });

  it('reports a failure that ends the stream early with a message on stderr', () => {
    expect(parse(asPty(fixture('cursor/error.txt')), { exitCode: 1 })).toEqual({
      output: '',
      sessionId: 'd7d7d7d7-0000-4000-8000-000000000002',
      error: 'Cursor agent stopped before reporting a result (exited with code 1): Error: [unavailable] Connection to the model provider failed. Please try again.',
    });
  });

  it('reports a refused key, checked when it starts (2026.05: "The provided API key is invalid."), as an authentication failure; a connection failure is not one', () => {
    expect(parse(asPty(fixture('cursor/invalid-key.txt')), { exitCode: 1 })).toEqual({
      output: '',
      error: 'Cursor agent stopped before reporting a result (exited with code 1): ⚠ Warning: The provided API key is invalid.\nThe API key was loaded from the CURSOR_API_KEY environment variable.',
      authFailure: true,
    });
    expect(parse(asPty(fixture('cursor/error.txt')), { exitCode: 1 }).authFailure).toBeUndefined();
  });

  it('reports a usage limit with what was said before it', () => {
    const result = parse(fixture('cursor/usage-limit.txt'), { exitCode: 1 });
    expect(result.output).toBe('Starting on the refactor.');
    expect(result.error).toMatch(/You've hit your usage limit/);
  });

  it('reports a crash mid-stream', () => {
    const result = parse(asPty(fixture('cursor/crash.txt')), { exitCode: 1 });
    expect(result.output).toBe('Reading the tests.');
    expect(result.error).toMatch(/^Cursor agent stopped before reporting a result \(exited with code 1\): TypeError: Cannot read properties of undefined/);
  });

  it('reports the trust refusal', () => {
    expect(parse(fixture('cursor/untrusted.txt'), { exitCode: 1 }).error).toMatch(/Workspace Trust Required/);
  });

  it('reports an is_error result as the error, not as the output', () => {
    const line = '{"type":"result","subtype":"success","is_error":true,"result":"Model not available","session_id":"s1"}';
    expect(parse(line, { exitCode: 1 })).toEqual({ output: '', sessionId: 's1', error: 'Cursor agent reported an error: Model not available' });
  });
});
