/**
 * The watch that stops a tool retrying refused credentials by itself, fed the lines the real CLIs
 * printed against the stand-in model server with a wrong key (claude-code 2.1.332: `api_retry`
 * with 401 ten times over about three minutes; codex 0.171: "Reconnecting... N/5" with 401).
 */
import { describe, expect, it } from 'vitest';
import { aiderAdapter, claudeCodeAdapter, codexAdapter, zaiAdapter, type AiToolAdapter } from '../../../electron/engine/tools/index.js';
import { asPty, fixture } from './tool-test-helpers.js';

/** Feeds the text in chunks of `size` characters, as a pty hands it over; what the watch said, and after how many characters. */
function feed(adapter: AiToolAdapter, env: Record<string, string>, text: string, size = 37): { said?: string; at?: number; again: number } {
  const watch = adapter.watchRefusal!(env);
  let said: string | undefined;
  let at: number | undefined;
  let again = 0;
  for (let i = 0; i < text.length; i += size) {
    const answer = watch(text.slice(i, i + size));
    if (answer && said) again++;
    if (answer && !said) {
      said = answer;
      at = Math.min(i + size, text.length);
    }
  }
  return { said, at, again };
}

const claudeRefused = fixture('claude/auth-retrying.jsonl');
const codexRefused = fixture('codex/auth-reconnecting.jsonl');

describe("Claude Code retrying a refused key by itself", () => {
  it('is stopped at its first api_retry with 401 when a key was given, however the output is cut into chunks', () => {
    const firstRetryEnds = claudeRefused.indexOf('\n', claudeRefused.indexOf('"attempt":1,')) + 1;
    for (const size of [1, 37, 4096]) {
      const { said, at, again } = feed(claudeCodeAdapter, { ANTHROPIC_API_KEY: 'sk-wrong' }, claudeRefused, size);
      expect(said).toBe("Claude Code's credentials were refused (HTTP 401, authentication failed) and it was retrying them by itself (up to 10 times): Photon stopped it at the first refusal");
      // Said as soon as the first retry's line is whole, not at the second.
      expect(at).toBeGreaterThanOrEqual(firstRetryEnds);
      expect(at! - firstRetryEnds).toBeLessThan(size);
      expect(again).toBe(0);
    }
  });

  it('is read through the noise of a pty (CRLF, colours, a spinner), and as Z.AI with its bearer token', () => {
    expect(feed(claudeCodeAdapter, { ANTHROPIC_AUTH_TOKEN: 'gw-token' }, asPty(claudeRefused)).said).toMatch(/^Claude Code's credentials were refused \(HTTP 401/);
    expect(feed(zaiAdapter, { ANTHROPIC_AUTH_TOKEN: 'zai-key' }, asPty(claudeRefused)).said).toMatch(/^Z\.AI \(Claude Code\)'s credentials were refused/);
  });

  it("waits for a second refusal in a row when the tool's own sign-in was used, which may renew its token after a first 401", () => {
    const [init, first] = claudeRefused.split('\n');
    const second = first!.replace('"attempt":1,', '"attempt":2,');
    const signedIn = claudeCodeAdapter.watchRefusal!({});
    expect(signedIn(`${init}\n${first}\n`)).toBeUndefined();
    expect(signedIn(`${second}\n`)).toMatch(/refused/);
    // A refusal, then the model answering, then another refusal: not two in a row.
    const renewed = claudeCodeAdapter.watchRefusal!({});
    const answer = JSON.stringify({ type: 'assistant', message: { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] } });
    expect(renewed(`${init}\n${first}\n${answer}\n${second}\n`)).toBeUndefined();
  });

  it('lets retries of other errors (500, 429, no connection) run their course', () => {
    const serverError = claudeRefused.replace(/"error_status":401,"error":"authentication_failed"/g, '"error_status":500,"error":"server_error"');
    const rateLimited = claudeRefused.replace(/"error_status":401,"error":"authentication_failed"/g, '"error_status":429,"error":"rate_limit"');
    const offline = claudeRefused.replace(/"error_status":401,"error":"authentication_failed"/g, '"error_status":null,"error":"unknown"');
    for (const text of [serverError, rateLimited, offline, fixture('claude/success.jsonl')]) {
      expect(feed(claudeCodeAdapter, { ANTHROPIC_API_KEY: 'sk-ant-1' }, text).said).toBeUndefined();
    }
  });
});

describe('Codex reconnecting after a 401', () => {
  it('is stopped at its first "Reconnecting... 1/5" with 401 Unauthorized, past the WebSocket 404s before it', () => {
    const { said } = feed(codexAdapter, { CODEX_API_KEY: 'sk-wrong' }, asPty(codexRefused));
    expect(said).toBe("Codex's key was refused (401 Unauthorized) and it was reconnecting to try again: Photon stopped it at the first refusal");
    const firstRefusal = codexRefused.indexOf('\n', codexRefused.indexOf('1/5 (unexpected status 401')) + 1;
    const watch = codexAdapter.watchRefusal!({ CODEX_API_KEY: 'sk-wrong' });
    expect(watch(codexRefused.slice(0, firstRefusal - 1))).toBeUndefined();
    expect(watch('\n')).toMatch(/refused/);
  });

  it('lets reconnects after a dropped stream or a server error run their course', () => {
    for (const text of [fixture('codex/reconnect-then-success.jsonl'), codexRefused.replace(/401 Unauthorized: Incorrect API key provided\./g, '500 Internal Server Error: oops')]) {
      expect(feed(codexAdapter, { CODEX_API_KEY: 'sk-1' }, text).said).toBeUndefined();
    }
  });
});

describe('Aider after a refused key', () => {
  it('is stopped at its advice line, before the question it would wait on, with or without a key given (it never retries one)', () => {
    const refused = fixture('aider/key-refused.txt');
    for (const env of [{ OPENAI_API_KEY: 'sk-wrong' }, {}] as Record<string, string>[]) {
      const { said } = feed(aiderAdapter, env, asPty(`${refused}Open URL for more info? (Y)es/(N)o/(D)on't ask again [Yes]: `));
      expect(said).toBe("Aider's key was refused (litellm.AuthenticationError): Photon stopped it before it waited on a question");
    }
  });

  it('lets it retry a server error', () => {
    expect(feed(aiderAdapter, { OPENAI_API_KEY: 'sk-1' }, asPty(fixture('aider/retrying.txt'))).said).toBeUndefined();
  });
});
