import { describe, expect, it } from 'vitest';
import { agyAdapter, geminiAdapter } from '../../../electron/engine/tools/index.js';
import { asPty, fixture } from './tool-test-helpers.js';

const parse = geminiAdapter.parseOutput;

describe('Gemini CLI stream-json output', () => {
  it('joins the assistant deltas after the last tool call and reads the session and token stats', () => {
    for (const text of [fixture('gemini/stream-success.txt'), asPty(fixture('gemini/stream-success.txt'))]) {
      expect(parse(text, { exitCode: 0 })).toEqual({
        output: 'src/math.ts exports three functions:\n- `add`\n- `mul`\n- `clamp`',
        sessionId: 'c4b1d9e0-6f8a-4c52-9e3b-2a7d5f0c1e84',
        tokens: { input: 8650, output: 371, cached: 4096 },
      });
    }
  });

  it('reports an error result; warnings alone do not fail a run', () => {
    const result = parse(fixture('gemini/stream-error.txt'), { exitCode: 1 });
    expect(result.error).toBe('Gemini CLI failed: [API Error: You exceeded your current quota, please check your plan and billing details. (Status: RESOURCE_EXHAUSTED)]');
    expect(result.sessionId).toBe('0d0d0d0d-0000-4000-8000-000000000002');
  });

  it('reports the turn limit with its exit code 53', () => {
    const result = parse(asPty(fixture('gemini/stream-turn-limit.txt')), { exitCode: 53 });
    expect(result.error).toBe('Gemini CLI failed: Reached max session turns for this session. Increase the number of turns by specifying maxSessionTurns in settings.json. (turn limit reached)');
    expect(result.output).toBe('Fixing the first batch of lint errors.');
    expect(result.tokens).toEqual({ input: 50100, output: 1900, cached: 30000 });
  });

  it('reports a crash mid-stream with the partial answer and the stack', () => {
    const result = parse(asPty(fixture('gemini/stream-crash.txt')), { exitCode: 1 });
    expect(result.output).toBe('The build uses');
    expect(result.error).toMatch(/^Gemini CLI stopped before reporting a result \(exited with code 1\): .*TypeError: Cannot read properties of undefined \(reading 'candidates'\)/s);
  });

  it('reports a run killed while it retried offline (captured from gemini 0.61.0)', () => {
    const result = parse(asPty(fixture('gemini/stream-offline-killed.txt')), { exitCode: null });
    expect(result.sessionId).toBe('6716234d-ea03-4dd2-9c32-ee49e8423deb');
    expect(result.error).toMatch(/^Gemini CLI stopped before reporting a result \(was killed before it finished\): .*Attempt 2 failed/s);
  });

  it('explains the documented exit codes when no event was printed', () => {
    expect(parse(fixture('gemini/untrusted.txt'), { exitCode: 55 }).error).toMatch(/^Gemini CLI stopped before reporting a result \(exited with code 55: the folder is not trusted\): Gemini CLI is not running in a trusted directory/);
    expect(parse('No input provided via stdin.', { exitCode: 42 }).error).toBe('Gemini CLI stopped before reporting a result (exited with code 42: bad input): No input provided via stdin.');
  });
});

describe('Gemini CLI json output', () => {
  it('reads response, session and the per-model token metrics', () => {
    expect(parse(asPty(fixture('gemini/json-success.txt')), { exitCode: 0 })).toEqual({
      output: 'The project has 3 packages: core, cli and web.',
      sessionId: 'a1a1a1a1-0000-4000-8000-000000000005',
      tokens: { input: 8000, output: 222, cached: 4100 },
    });
  });

  it('reads the error object it prints on failure (captured from gemini 0.61.0, exit 41)', () => {
    const result = parse(fixture('gemini/json-auth-error.txt'), { exitCode: 41 });
    expect(result.error).toBe(
      'Gemini CLI failed: Please set an Auth method in your /tmp/fakehome/.gemini/settings.json or specify one of the following environment variables before running: GEMINI_API_KEY, GOOGLE_GENAI_USE_VERTEXAI, GOOGLE_GENAI_USE_GCA (authentication failed)',
    );
    expect(result.sessionId).toBe('64ef29d8-f6a7-4529-a1aa-615228d00ae1');
  });
});

describe('Gemini CLI exit codes on API errors (0.61: the HTTP status modulo 256)', () => {
  const failedStream = (message: string) =>
    [
      '{"type":"init","session_id":"g1","model":"gemini-2.5-pro"}',
      JSON.stringify({ type: 'result', status: 'error', error: { type: 'Error', message }, stats: { input_tokens: 300, output_tokens: 0 } }),
    ].join('\n');

  it('says a 401 (exit 145) refused the key, and does not retry it', () => {
    const result = parse(asPty(failedStream('[API Error: 401 API key not valid. Please pass a valid API key.]')), { exitCode: 145 });
    expect(result.error).toBe('Gemini CLI failed: [API Error: 401 API key not valid. Please pass a valid API key.] (HTTP 401 from the API: the key was refused)');
    expect(result.authFailure).toBe(true);
  });

  it('says a 500 (exit 244) was a server error, which may be retried', () => {
    const result = parse(failedStream('[API Error: 500 Internal error encountered.]'), { exitCode: 244 });
    expect(result.error).toBe('Gemini CLI failed: [API Error: 500 Internal error encountered.] (HTTP 500 from the API: server error)');
    expect(result.authFailure).toBeUndefined();
  });

  it('names the HTTP status when the CLI stopped before its result', () => {
    expect(parse('{"type":"init","session_id":"g1","model":"m"}', { exitCode: 173 }).error).toBe(
      'Gemini CLI stopped before reporting a result (exited with code 173: HTTP 429 from the API: rate limit or quota exceeded)',
    );
  });

  it('takes exit 41 ("Invalid auth method selected.") as an auth failure', () => {
    expect(parse('Invalid auth method selected.\n', { exitCode: 41 })).toMatchObject({ authFailure: true, error: 'Gemini CLI stopped before reporting a result (exited with code 41: authentication failed): Invalid auth method selected.' });
  });
});

describe("Gemini CLI's last activity", () => {
  it('is its retry of a failing API, which 0.61 reports on stderr only while its events end at the prompt (captured from the real CLI)', () => {
    const retrying = asPty(fixture('gemini/stream-retrying.txt'));
    expect(geminiAdapter.lastActivity!(retrying)).toBe('retrying after HTTP 500, attempt 2');
    // An event after the retries: the model answered, and that is the newer news.
    const answered = `${retrying}\r\n{"type":"message","timestamp":"2026-12-05T11:34:40.000Z","role":"assistant","content":"Hi","delta":true}\r\n`;
    expect(geminiAdapter.lastActivity!(answered)).toBe('writing its answer');
  });
});

describe('Antigravity output', () => {
  it("reads Gemini's event vocabulary", () => {
    expect(agyAdapter.parseOutput(asPty(fixture('agy/stream-success.txt')), { exitCode: 0 })).toEqual({
      output: 'The diff is safe to merge; one nit in utils.ts.',
      sessionId: 'agy-5f1e2d3c',
      tokens: { input: 3900, output: 200 },
    });
  });

  it("also reads a build that answers in Claude Code's vocabulary", () => {
    expect(agyAdapter.parseOutput(fixture('agy/claude-style.jsonl'), { exitCode: 0 })).toEqual({
      output: 'Done: 2 files formatted.',
      sessionId: 'agy-conv-77',
      tokens: { input: 1000, output: 20, cached: 0, cacheWrite: 0 },
      turns: 1,
    });
  });

  it('reports an old build that does not know a flag', () => {
    expect(agyAdapter.parseOutput(fixture('agy/flag-not-defined.txt'), { exitCode: 2 }).error).toMatch(/^Antigravity stopped before reporting a result \(exited with code 2\): flag provided but not defined: -output-format/);
  });

  it("takes Gemini's API Error 401 or 403 as a refused sign-in, a quota error not", () => {
    const refused = agyAdapter.parseOutput(fixture('gemini/stream-error.txt').replace(/API Error: [^\]]*/, 'API Error: 401 Request had invalid authentication credentials.'), { exitCode: 1 });
    expect(refused).toMatchObject({ authFailure: true, error: expect.stringMatching(/API Error: 401 /) });
    expect(agyAdapter.parseOutput(fixture('gemini/stream-error.txt'), { exitCode: 1 }).authFailure).toBeUndefined();
  });

  it('reports a turn limit and a crash like Gemini CLI', () => {
    expect(agyAdapter.parseOutput(fixture('gemini/stream-turn-limit.txt'), { exitCode: 53 }).error).toMatch(/^Antigravity failed: Reached max session turns/);
    expect(agyAdapter.parseOutput(fixture('gemini/stream-crash.txt'), { exitCode: 1 }).error).toMatch(/^Antigravity stopped before reporting a result/);
  });
});
