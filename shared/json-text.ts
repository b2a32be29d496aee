/**
 * A workflow file's bytes and text as editors save them: UTF-8 with or without a byte order mark,
 * or UTF-16 (Windows Notepad's "Unicode") marked by its BOM; and bad JSON described on one line
 * with its line, column and a short excerpt.
 */

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

/** The text of a file's bytes: the encoding its byte order mark names, else UTF-8. */
export function decodeText(bytes: Uint8Array): string {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (a === 0xff && b === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (a === 0xfe && b === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}

/** JSON text as a value; a text still starting with its byte order mark (decoded by someone else) is read too. */
export function parseJsonText(text: string): JsonParse {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    return { ok: false, message: describeJsonError(body, error) };
  }
}

const excerptChars = 40;

function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const offset = errorOffset(text, message);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  // V8 ends some messages with its own excerpt of the text, which may span lines: dropped for ours.
  const reason = message
    .replace(/\s*(in JSON )?at position \d+.*$/s, '')
    .replace(/, (?:\.\.\.)?".*$/s, '')
    .replace(/^JSON\.parse: /, '');
  return `invalid JSON at line ${line}, column ${column}: ${oneLine(reason)}${excerpt(text, offset)}`;
}

/** The text around the error, from its own line only, so the message stays one line. */
function excerpt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset) === -1 ? text.length : text.indexOf('\n', offset);
  const from = Math.max(lineStart, offset - excerptChars / 2);
  const to = Math.min(lineEnd, from + excerptChars);
  const shown = text.slice(from, to).replace(/\r$/, '').trim();
  if (shown === '') return '';
  return `, near: ${from > lineStart ? '…' : ''}${oneLine(shown)}${to < lineEnd ? '…' : ''}`;
}

/** Control characters (a newline quoted as a token among them) written as escapes, so the message stays one line. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

function errorOffset(text: string, message: string): number {
  const position = /position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  if (/end of JSON input/.test(message)) return text.length;
  // Some V8 versions (Node 20) name an unexpected token without its position, a trailing comma
  // among them. The shortest prefix of the text that already fails for a reason other than
  // ending early ends with that token.
  let low = 1;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (failsBeforeItsEnd(text.slice(0, mid))) high = mid;
    else low = mid + 1;
  }
  return low - 1;
}

function failsBeforeItsEnd(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/end of JSON input/.test(message)) return false;
    const position = /position (\d+)/.exec(message);
    return !position || Number(position[1]) < prefix.length;
  }
}
