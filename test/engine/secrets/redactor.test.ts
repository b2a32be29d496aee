import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../electron/engine/secrets/index.js';

const secrets = new Map([
  ['ANTHROPIC_API_KEY', 'sk-ant-abcdef123456'],
  ['SHORT', 'ab'],
]);

describe('Redactor', () => {
  it('replaces every occurrence of a value with a mark naming the secret', () => {
    const redactor = new Redactor(secrets);
    expect(redactor.redact('key=sk-ant-abcdef123456 and again sk-ant-abcdef123456')).toBe(
      'key=[secret ANTHROPIC_API_KEY] and again [secret ANTHROPIC_API_KEY]',
    );
  });

  it('leaves values too short to be secrets alone, so ordinary words survive', () => {
    expect(new Redactor(secrets).redact('about a tab')).toBe('about a tab');
  });

  it('catches a value split across chunks of a stream', () => {
    const stream = new Redactor(secrets).stream();
    const out = [stream.push('token: sk-ant-ab'), stream.push('cdef12'), stream.push('3456 done\r\n'), stream.flush()].join('');
    expect(out).toBe('token: [secret ANTHROPIC_API_KEY] done\r\n');
    expect(out).not.toContain('sk-ant');
  });

  it('passes ordinary output through at once (a prompt waiting for input is not held back)', () => {
    const stream = new Redactor(secrets).stream();
    expect(stream.push('Continue? [y/N] ')).toBe('Continue? [y/N] ');
  });

  it('holds back only an ending that could begin a value', () => {
    const stream = new Redactor(secrets).stream();
    expect(stream.push('x sk-a')).toBe('x ');
    expect(stream.push('pple')).toBe('sk-apple');
  });
});
