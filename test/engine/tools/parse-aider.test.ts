import { describe, expect, it } from 'vitest';
import { aiderAdapter } from '../../../electron/engine/tools/index.js';
import { asPty, fixture } from './tool-test-helpers.js';

const parse = aiderAdapter.parseOutput;

describe('Aider text output', () => {
  it("keeps the model's answer and drops the banner and bookkeeping lines", () => {
    const expected = [
      "The total was rounded before the discount was applied. I'll round once, at the end.",
      '',
      'src/cart.ts',
      '<<<<<<< SEARCH',
      '  return round(sum) - discount;',
      '=======',
      '  return round(sum - discount);',
      '>>>>>>> REPLACE',
    ].join('\n');
    for (const text of [fixture('aider/success.txt'), asPty(fixture('aider/success.txt'))]) {
      expect(parse(text, { exitCode: 0 })).toEqual({ output: expected });
    }
  });

  it('reports an authentication failure, which another attempt cannot help', () => {
    const result = parse(asPty(fixture('aider/auth-error.txt')), { exitCode: 1 });
    expect(result.error).toMatch(/^Aider failed: litellm\.AuthenticationError: AuthenticationError: OpenAIException - The api_key client option must be set/);
    expect(result.output).toBe('');
    expect(result.authFailure).toBe(true);
  });

  it('reports a refused key as an authentication failure though aider exits 0 after it (0.86: `aider --message` returns 0)', () => {
    const result = parse(asPty(fixture('aider/key-refused.txt')), { exitCode: 0 });
    expect(result).toMatchObject({ output: '', authFailure: true });
    expect(result.error).toMatch(/^Aider failed: litellm\.AuthenticationError: .*Incorrect API key provided: sk-\*+9f2d\./);
    // The page it offers to open is no answer of the model's.
    expect(result.output).not.toContain('platform.openai.com');
  });

  it('says it was retrying after the server error when it is stopped mid-retry, and a server error is no auth failure', () => {
    const text = asPty(fixture('aider/retrying.txt'));
    expect(aiderAdapter.lastActivity!(text)).toBe('retrying after litellm.InternalServerError: InternalServerError: OpenAIException - Internal server error');
    expect(parse(text, { exitCode: null }).authFailure).toBeUndefined();
    expect(aiderAdapter.lastActivity!(asPty(fixture('aider/crash.txt')))).toMatch(/^last printing "/);
  });

  it('reports the token limit (its turn limit) and keeps its advice out of the output', () => {
    const result = parse(fixture('aider/token-limit.txt'), { exitCode: 0 });
    expect(result).toEqual({ output: '', error: 'Aider stopped: Model gpt-4o has hit a token limit; ask for smaller changes or add fewer files' });
  });

  it('reports a crash with the exception from the traceback', () => {
    const result = parse(asPty(fixture('aider/crash.txt')), { exitCode: 1 });
    expect(result).toEqual({ output: 'I will update the', error: "Aider crashed: KeyError: 'choices'" });
  });

  it('reports an option this version does not know', () => {
    expect(parse(fixture('aider/bad-flag.txt'), { exitCode: 2 }).error).toBe('Aider failed: aider: error: unrecognized arguments: --no-suggest-shell-commands');
  });

  it('reports a non-zero exit that printed no known error', () => {
    expect(parse('Aider v0.86.1\nSomething odd happened\n', { exitCode: 3 })).toEqual({ output: 'Something odd happened', error: 'Aider exited with code 3: Something odd happened' });
  });
});
