import { describe, expect, it } from 'vitest';
import { decodeText, parseJsonText } from '../../shared/json-text.js';

const text = '{"name": "Café ☕", "n": 1}';

describe('decodeText', () => {
  it.each([
    ['UTF-8', Buffer.from(text)],
    ['UTF-8 with a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ['UTF-16 LE with a byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
    ['UTF-16 BE with a byte order mark', Buffer.from(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])).swap16()],
  ])('reads %s', (_encoding, bytes) => {
    expect(decodeText(bytes)).toBe(text);
  });
});

describe('parseJsonText', () => {
  it('reads text whose byte order mark another reader kept', () => {
    expect(parseJsonText(`\ufeff${text}`)).toEqual({ ok: true, value: { name: 'Café ☕', n: 1 } });
  });

  it.each([
    ['an unexpected token V8 quotes with the lines after it', 'x\ny\nzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\n', "invalid JSON at line 1, column 1: Unexpected token 'x', near: x"],
    ['a quoted excerpt V8 cuts short', `{"a": 1,\n"b": tru\n${'"c": 3,\n'.repeat(5)}}`, /^invalid JSON at line 2, column \d+: Unexpected token .*near: "b": tru$/],
    ['a control character as the token', '{"a":\u0001}', "invalid JSON at line 1, column 6: Unexpected token '\\u0001', near: {\"a\":\\u0001}"],
    ['a tab inside a string', '{"name":"a\tb"}', 'invalid JSON at line 1, column 11: Bad control character in string literal, near: {"name":"a\\tb"}'],
  ])('describes %s on one line with a short excerpt', (_case, input, expected) => {
    const parsed = parseJsonText(input);
    if (parsed.ok) throw new Error('expected a JSON error');
    expect(parsed.message).not.toMatch(/[\n\r]/);
    expect(parsed.message).not.toContain('is not valid JSON');
    if (typeof expected === 'string') expect(parsed.message).toBe(expected);
    else expect(parsed.message).toMatch(expected);
  });
});
