/**
 * Reading a tool's terminal text back: a pty merges stderr into stdout, turns `\n` into `\r\n`,
 * and lets progress lines overwrite themselves with `\r` and colour themselves with ANSI codes.
 */

// CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), and the two-character escapes (charset, keypad).
const ansiPattern = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[()*+][0-9A-Za-z]|\x1b[=>78cDEHMNOZ]|\x9b[0-?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ansiPattern, '');
}

/**
 * The lines a person would read: ANSI removed, any line ending (`\n`, `\r\n`, `\r\r\n`), and of a
 * line rewritten with `\r` only its last version.
 */
export function terminalLines(text: string): string[] {
  const lines = stripAnsi(text).split(/\r*\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => {
    if (!line.includes('\r')) return line;
    const versions = line.split('\r').filter((part) => part.length > 0);
    return versions[versions.length - 1] ?? '';
  });
}

export type JsonObject = Record<string, unknown>;

/**
 * The JSON objects of a line-delimited stream, in order. Lines that are not JSON (stderr progress,
 * warnings, stack traces) are skipped; a line with noise before its object still counts.
 */
export function jsonLines(text: string): JsonObject[] {
  const events: JsonObject[] = [];
  for (const raw of text.split(/\r*\n/)) {
    const parsed = parseJsonLine(raw);
    if (parsed) events.push(parsed);
  }
  return events;
}

function parseJsonLine(raw: string): JsonObject | undefined {
  // A JSON string never holds a raw CR or ESC, so both mark noise from the terminal around it.
  const segments = stripAnsi(raw).split('\r');
  for (let i = segments.length - 1; i >= 0; i--) {
    const line = segments[i]!.trim();
    const start = line.indexOf('{');
    if (start < 0 || !line.endsWith('}')) continue;
    const parsed = tryParseObject(line.slice(start));
    if (parsed) return parsed;
    // Noise that itself holds a brace before the object: try from the object's usual opening.
    const typed = line.indexOf('{"');
    if (typed > start) {
      const again = tryParseObject(line.slice(typed));
      if (again) return again;
    }
  }
  return undefined;
}

function tryParseObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Pretty-printed JSON documents (`{` alone at the start of a line through the matching `}`) found in
 * terminal text, for tools whose json mode prints one indented object.
 */
export function jsonDocuments(text: string): JsonObject[] {
  const lines = terminalLines(text);
  const documents: JsonObject[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('{')) continue;
    const single = tryParseObject(lines[i]!.trim());
    if (single) {
      documents.push(single);
      continue;
    }
    for (let j = i + 1; j < lines.length; j++) {
      if (!lines[j]!.startsWith('}')) continue;
      const parsed = tryParseObject(lines.slice(i, j + 1).join('\n'));
      if (parsed) {
        documents.push(parsed);
        i = j;
        break;
      }
    }
  }
  return documents;
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function stringField(object: JsonObject | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberField(object: JsonObject | undefined, key: string): number | undefined {
  const value = object?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function objectField(object: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = object?.[key];
  return isObject(value) ? value : undefined;
}

/** The last few meaningful lines of non-JSON text: what a tool printed to stderr before it died. */
export function textTail(text: string, maxLines = 5): string {
  const lines = terminalLines(text)
    .map((line) => line.trim())
    // Stack frames say where, not what: the message above them is the useful part.
    .filter((line) => line.length > 0 && !line.startsWith('{') && !/^at (async )?\S/.test(line))
    .filter((line, index, all) => line !== all[index - 1]);
  return lines.slice(-maxLines).join('\n');
}

/** `exited with code N` / `was killed` for error messages. */
export function exitDescription(exit: { exitCode: number | null }): string {
  return exit.exitCode === null ? 'was killed before it finished' : `exited with code ${exit.exitCode}`;
}
