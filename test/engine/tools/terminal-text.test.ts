import { describe, expect, it } from 'vitest';
import { jsonDocuments, jsonLines, stripAnsi, terminalLines } from '../../../electron/engine/tools/terminal-text.js';

describe('terminal text', () => {
  it('strips colours, cursor moves, titles and charset switches', () => {
    expect(stripAnsi('\x1b[1;31mred\x1b[0m \x1b]0;title\x07plain\x1b(B \x1b[?25hend\x1b[2K')).toBe('red plain end');
  });

  it('splits CRLF and the doubled CR of a pty, keeping the last version of a line rewritten with CR', () => {
    expect(terminalLines('one\r\ntwo\r\r\nspin 1\rspin 2\rdone\r\n\r\nlast')).toEqual(['one', 'two', 'done', '', 'last']);
  });

  it('finds JSON lines among noise and skips partial or non-object lines', () => {
    const text = ['{"type":"a"}', 'warning: something', '\x1b[2K⠋ working\r{"type":"b","n":1}', '{"type":"c"', '[1,2]', 'prefix {"type":"d"}', ''].join('\r\n');
    expect(jsonLines(text)).toEqual([{ type: 'a' }, { type: 'b', n: 1 }, { type: 'd' }]);
  });

  it('finds pretty-printed JSON documents', () => {
    expect(jsonDocuments('noise\r\n{\r\n  "a": {\r\n    "b": 1\r\n  }\r\n}\r\nafter\r\n{"c":2}')).toEqual([{ a: { b: 1 } }, { c: 2 }]);
  });
});
