import { jsonAt } from './typed-output.js';

/**
 * `{{steps.N.output}}`: the output of step N, inserted into a later step's string inputs;
 * `{{steps.N.json.path.to.field}}`: a value inside the JSON output of a step with `"output": "json"`.
 */
const referencePattern = /\{\{\s*steps\.(\d+)\.(output|json((?:\.[A-Za-z0-9_$-]+)*))\s*\}\}/g;

/** Step numbers referenced anywhere in a value (strings inside objects and arrays included). */
export function referencedSteps(value: unknown): number[] {
  const found = new Set<number>();
  walkStrings(value, (text) => {
    for (const match of text.matchAll(referencePattern)) found.add(Number(match[1]));
  });
  return [...found].sort((a, b) => a - b);
}

/** Steps whose JSON output is referenced (`{{steps.N.json…}}`): they must declare `"output": "json"`. */
export function jsonReferencedSteps(value: unknown): number[] {
  const found = new Set<number>();
  walkStrings(value, (text) => {
    for (const match of text.matchAll(referencePattern)) if (match[2] !== 'output') found.add(Number(match[1]));
  });
  return [...found].sort((a, b) => a - b);
}

/**
 * Replaces every reference with the referenced step's output, or the value at its JSON path (a
 * string as is, anything else as JSON); a missing one becomes empty.
 */
export function renderTemplates<T>(value: T, outputs: ReadonlyMap<number, string>, json: ReadonlyMap<number, unknown> = new Map()): T {
  return mapStrings(value, (text) =>
    text.replace(referencePattern, (_match, step: string, field: string, path: string | undefined) => {
      if (field === 'output') return outputs.get(Number(step)) ?? '';
      const found = jsonAt(json.get(Number(step)), path ? path.slice(1).split('.') : []);
      return found === undefined ? '' : typeof found === 'string' ? found : JSON.stringify(found);
    }),
  ) as T;
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return value !== null && typeof value === 'object';
}

// Both walks keep their own stack: inputs come from files and clients, and a value nested some
// thousands deep would overflow the call stack of a recursive walk.

function walkStrings(value: unknown, visit: (text: string) => void): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') visit(next);
    else if (isContainer(next)) {
      const items = Object.values(next);
      // Pushed in reverse so strings are visited in the order they are written.
      for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
    }
  }
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  const copy = (item: unknown, pending: [Container, Container][]): unknown => {
    if (typeof item === 'string') return map(item);
    if (!isContainer(item)) return item;
    const target: Container = Array.isArray(item) ? [] : {};
    pending.push([item, target]);
    return target;
  };
  const pending: [Container, Container][] = [];
  const result = copy(value, pending);
  while (pending.length > 0) {
    const [source, target] = pending.pop()!;
    for (const [key, item] of Object.entries(source)) {
      // Defined, not assigned: a key named "__proto__" (JSON.parse makes one) stays a plain key.
      Object.defineProperty(target, key, { value: copy(item, pending), enumerable: true, writable: true, configurable: true });
    }
  }
  return result;
}
