import { describe, expect, it } from 'vitest';
import { codexAdapter } from '../../../electron/engine/tools/index.js';
import { asPty, fixture } from './tool-test-helpers.js';

const parse = codexAdapter.parseOutput;

describe('Codex exec --json output', () => {
  it('reads the last agent message, the thread id and the turn usage of a successful run', () => {
    for (const text of [fixture('codex/success.jsonl'), asPty(fixture('codex/success.jsonl'))]) {
      expect(parse(text, { exitCode: 0 })).toEqual({
        output: 'Added a retry with backoff to `fetchOrders` in src/api.ts.\nThe note is gone.',
        sessionId: '0199a213-81c0-7800-8aa1-bbab2a035a53',
        tokens: { input: 24763, output: 1187, cached: 19712 },
        turns: 1,
      });
    }
  });

  it('treats error events as retries when the turn still completes', () => {
    const result = parse(asPty(fixture('codex/reconnect-then-success.jsonl')), { exitCode: 0 });
    expect(result.error).toBeUndefined();
    expect(result.output).toBe('All 12 endpoints are documented.');
    expect(result.tokens).toEqual({ input: 8100, output: 240, cached: 0 });
  });

  it('reports a failed turn with its message', () => {
    const result = parse(fixture('codex/turn-failed.jsonl'), { exitCode: 1 });
    expect(result.error).toBe('Codex failed: unexpected status 401 Unauthorized: Incorrect API key provided: sk-proj-****abcd. You can find your API key at https://platform.openai.com/account/api-keys.');
    expect(result.sessionId).toBe('0199c000-0000-7000-8000-000000000003');
    expect(result.output).toBe('');
  });

  it('reports the context-window limit (Codex has no turn limit; this is where it stops)', () => {
    const result = parse(fixture('codex/context-window.jsonl'), { exitCode: 1 });
    expect(result.error).toBe("Codex failed: Codex ran out of room in the model's context window. Start a new thread or clear earlier history before retrying.");
    expect(result.output).toBe("I'll read every log file to find the failure.");
    expect(result.tokens).toBeUndefined();
  });

  it('reports a crash mid-stream with the panic message', () => {
    const result = parse(asPty(fixture('codex/crash.txt')), { exitCode: 101 });
    expect(result.error).toMatch(/^Codex stopped before finishing its turn \(exited with code 101\): thread 'main' panicked at .*\ncalled `Option::unwrap\(\)` on a `None` value/s);
    expect(result.sessionId).toBe('0199e000-0000-7000-8000-000000000005');
  });

  it('reports a run killed while it waited for the network (captured from codex 0.169.0 offline)', () => {
    const result = parse(asPty(fixture('codex/offline-killed.txt')), { exitCode: null });
    expect(result.error).toBe('Codex stopped before finishing its turn (was killed before it finished): Reconnecting... waiting for network (Connection failed: error sending request)');
    expect(result.sessionId).toBe('01a1fcb0-ae2e-7892-98f3-c25302dd7e8e');
  });

  it('reports a refusal to start that printed no event', () => {
    expect(parse(fixture('codex/not-a-repo.txt'), { exitCode: 1 })).toEqual({
      output: '',
      error: 'Codex stopped before finishing its turn (exited with code 1): Not inside a trusted directory and --skip-git-repo-check was not specified.',
    });
  });

  it('sums usage over several turns', () => {
    const turn = '{"type":"turn.completed","usage":{"input_tokens":10,"cached_input_tokens":4,"output_tokens":2}}';
    const result = parse([turn, '{"type":"item.completed","item":{"id":"i","type":"agent_message","text":"ok"}}', turn].join('\n'), { exitCode: 0 });
    expect(result).toEqual({ output: 'ok', tokens: { input: 20, output: 4, cached: 8 }, turns: 2 });
  });

  it('takes "401 Unauthorized" as an auth failure (codex 0.171 given only OPENAI_API_KEY), and a server error not', () => {
    const failed = (message: string) =>
      ['{"type":"thread.started","thread_id":"t1"}', '{"type":"turn.started"}', JSON.stringify({ type: 'error', message }), JSON.stringify({ type: 'turn.failed', error: { message } })].join('\n');
    const refused = parse(asPty(failed('unexpected status 401 Unauthorized: Missing bearer or basic authentication in header')), { exitCode: 1 });
    expect(refused).toMatchObject({ authFailure: true, error: 'Codex failed: unexpected status 401 Unauthorized: Missing bearer or basic authentication in header' });
    expect(parse(failed('unexpected status 500 Internal Server Error: {}'), { exitCode: 1 }).authFailure).toBeUndefined();
  });
});
