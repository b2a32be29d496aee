import { parseJsonText } from './json-text.js';

/**
 * A step with `"output": "json"`: its final output read as JSON. AI tools often wrap their answer in
 * a Markdown code fence (```json … ```), so one fence around the whole output is taken off first.
 */

export type TypedOutput = { ok: true; value: unknown } | { ok: false; message: string };

const fenced = /^\s*```[A-Za-z0-9_-]*[^\S\n]*\r?\n([\s\S]*?)\r?\n?```\s*$/;

export function parseJsonOutput(output: string): TypedOutput {
  const match = fenced.exec(output);
  const body = (match ? match[1]! : output).trim();
  if (body === '') return { ok: false, message: 'the output is empty; a step with "output": "json" must print a JSON value' };
  const parsed = parseJsonText(body);
  if (!parsed.ok) return { ok: false, message: `the output is not JSON: ${parsed.message}${match ? ' (inside its code fence)' : ''}` };
  return { ok: true, value: parsed.value };
}

/** The value at a dotted path (`items.0.name`) of a JSON value; only its own fields, never a prototype's. */
export function jsonAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(key)) return undefined;
      current = current[Number(key)];
    } else {
      if (!Object.hasOwn(current, key)) return undefined;
      current = (current as Record<string, unknown>)[key];
    }
  }
  return current;
}
