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

/** A PEM-like value: several lines, as a private key is kept. */
const pem = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
  'NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ',
  '-----END PRIVATE KEY-----',
].join('\n');
const pemSecrets = new Map([['DEPLOY_KEY', pem]]);
const pemMark = '[secret DEPLOY_KEY]';

/** The value as a terminal shows it, each way a terminal or a program can lay it out. */
const renderings: [string, string][] = [
  ['as written (\\n)', pem],
  ['through a pty (\\r\\n)', pem.replaceAll('\n', '\r\n')],
  ['written with \\r\\n, then through a pty (\\r\\r\\n)', pem.replaceAll('\n', '\r\r\n')],
  ['wrapped at 40 columns', pem.replaceAll('\n', '\r\n').replace(/[^\r\n]{40}(?=[^\r\n])/g, '$&\r\n')],
  ['wrapped and indented by a TUI', pem.split('\n').map((line) => `  ${line}`).join('  \r\n')],
  ['coloured, cursor moved to each next line', `\x1b[32m${pem.replaceAll('\n', '\x1b[K\x1b[1B\r')}\x1b[0m`],
  ['as a JSON string (\\n escaped)', JSON.stringify(pem).slice(1, -1)],
];

describe('Redactor with a value of several lines', () => {
  it.each(renderings)('redacts it %s', (_name, rendered) => {
    const out = new Redactor(pemSecrets).redact(`key:\r\n${rendered}\r\nnext`);
    expect(out).toContain(pemMark);
    for (const line of pem.split('\n')) expect(out).not.toContain(line.slice(5, 25));
    expect(out.startsWith('key:\r\n')).toBe(true);
    expect(out.endsWith('\r\nnext')).toBe(true);
  });

  it.each(renderings)('redacts it %s when split between two writes at any point', (_name, rendered) => {
    const text = `key: ${rendered}\r\n$ `;
    const whole = new Redactor(pemSecrets).redact(text);
    expect(whole.split(pemMark)).toHaveLength(2);
    for (let cut = 1; cut < text.length; cut++) {
      const stream = new Redactor(pemSecrets).stream();
      const out = stream.push(text.slice(0, cut)) + stream.push(text.slice(cut)) + stream.flush();
      expect(out, `cut at ${cut}`).toBe(whole);
    }
  });

  it('redacts it arriving a few characters at a time', () => {
    const text = `x ${pem.replaceAll('\n', '\r\n')} y`;
    const stream = new Redactor(pemSecrets).stream();
    let out = '';
    for (let i = 0; i < text.length; i += 7) out += stream.push(text.slice(i, i + 7));
    out += stream.flush();
    expect(out).toBe(`x ${pemMark} y`);
  });

  it('leaves text that only shares its first line alone, and passes it on once it differs', () => {
    const stream = new Redactor(pemSecrets).stream();
    expect(stream.push('-----BEGIN PRIVATE KEY-----\r\n')).toBe('');
    expect(stream.push('MIIE but not the key\r\n')).toBe('-----BEGIN PRIVATE KEY-----\r\nMIIE but not the key\r\n');
  });
});
