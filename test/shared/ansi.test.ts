import { describe, expect, it } from 'vitest';
import { plainOutput, stripAnsi } from '../../shared/ansi.js';

describe('stripAnsi', () => {
  it('removes colours and styles', () => {
    expect(stripAnsi('\u001b[1;31mred\u001b[0m and \u001b[38;5;208morange\u001b[39m')).toBe('red and orange');
  });

  it('removes cursor moves, line erases, charset and keypad switches', () => {
    expect(stripAnsi('50%\u001b[2K\u001b[1G100%\u001b[?25h')).toBe('50%100%');
    expect(stripAnsi('\u001b(Bplain\u001b=\u001b>')).toBe('plain');
    expect(stripAnsi('\u001b[38:2::255:0:0mrgb\u001b[m')).toBe('rgb');
  });

  it('removes window titles ended by BEL and hyperlinks ended by ST', () => {
    expect(stripAnsi('\u001b]0;me@host: ~/src (main)\u0007text')).toBe('text');
    expect(stripAnsi('\u001b]8;;https://example.com\u001b\\link\u001b]8;;\u001b\\')).toBe('link');
  });

  it("turns a pty's CRLF line ends into LF and keeps plain text as it is", () => {
    expect(stripAnsi('a\r\nb\r\r\nc')).toBe('a\nb\nc');
    expect(stripAnsi('plain [text] {x}; 100% done')).toBe('plain [text] {x}; 100% done');
  });
});

describe('plainOutput', () => {
  it('strips codes and trims the ends, keeping inner lines and indentation', () => {
    expect(plainOutput('\r\n  \u001b[32mbuild ok\u001b[0m\r\n    details  \r\n\r\n')).toBe('build ok\n    details');
  });

  it('gives empty text for output that was only codes and blank lines', () => {
    expect(plainOutput('\u001b[0m\r\n \r\n')).toBe('');
  });
});
