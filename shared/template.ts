import { jsonAt } from './typed-output.js';

/**
 * `{{steps.N.output}}`: the output of step N, inserted into a later step's string inputs;
 * `{{steps.N.json.path.to.field}}`: a value inside the JSON output of a step with `"output": "json"`.
 * (`{{race.…}}` and `{{inputs.…}}`: see TemplateValues.)
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
 * Values named by the run rather than by a step: `{{race.output}}` and `{{race.step}}` in a race's
 * join step (the winner's output and number), `{{inputs.NAME}}` in a sub-workflow's steps (what the
 * parent's step passed it).
 */
export interface TemplateValues {
  race?: { step: number; output: string };
  inputs?: Readonly<Record<string, unknown>>;
  /** In a fan-out step (`forEach`): `{{item}}` (a string as is, anything else as JSON), `{{item.field}}`, `{{index}}` (from 0). */
  item?: { value: unknown; index: number };
}

/** `{{item}}`, `{{item.path.to.field}}`, `{{index}}`: what a fan-out step's inputs read of the item it runs for. */
const itemPattern = /\{\{\s*(?:item((?:\.[A-Za-z0-9_$-]+)*)|(index))\s*\}\}/g;

/** Whether a value reads its fan-out item (and the fields it reads) or its index. */
export function itemReferences(value: unknown): { item: boolean; paths: string[][]; index: boolean } {
  const found = { item: false, paths: [] as string[][], index: false };
  walkStrings(value, (text) => {
    for (const match of text.matchAll(itemPattern)) {
      if (match[2] !== undefined) found.index = true;
      else {
        found.item = true;
        if (match[1]) found.paths.push(match[1].slice(1).split('.'));
      }
    }
  });
  return found;
}

const namedPattern = /\{\{\s*(race\.(?:output|step)|inputs\.([A-Za-z_][A-Za-z0-9_-]*))\s*\}\}/g;
/** Both kinds in one pattern, so one pass renders them: an output holding `{{inputs.x}}` is not expanded again. */
const anyPattern = new RegExp(`${referencePattern.source}|${namedPattern.source}|${itemPattern.source}`, 'g');

/** The run-named values a value uses: whether it reads its race, and which inputs. */
export function namedReferences(value: unknown): { race: string[]; inputs: string[] } {
  const race = new Set<string>();
  const inputs = new Set<string>();
  walkStrings(value, (text) => {
    for (const match of text.matchAll(namedPattern)) {
      if (match[2] !== undefined) inputs.add(match[2]);
      else race.add(match[1]!);
    }
  });
  return { race: [...race], inputs: [...inputs].sort() };
}

/** Whether a value holds any template at all (a step's, or a run-named one). */
export function hasTemplates(value: unknown): boolean {
  let found = false;
  walkStrings(value, (text) => {
    anyPattern.lastIndex = 0;
    found ||= anyPattern.test(text);
  });
  return found;
}

/**
 * Replaces every reference with the referenced step's output, or the value at its JSON path (a
 * string as is, anything else as JSON), and every run-named value; a missing one becomes empty.
 */
export function renderTemplates<T>(value: T, outputs: ReadonlyMap<number, string>, json: ReadonlyMap<number, unknown> = new Map(), named: TemplateValues = {}): T {
  const text = (found: unknown) => (found === undefined ? '' : typeof found === 'string' ? found : JSON.stringify(found));
  return mapStrings(value, (source) =>
    source.replace(anyPattern, (match, step: string | undefined, field: string | undefined, path: string | undefined, name: string | undefined, input: string | undefined, itemPath: string | undefined, index: string | undefined) => {
      if (index !== undefined) return named.item ? String(named.item.index) : match;
      if (step === undefined && name === undefined) return named.item ? text(jsonAt(named.item.value, itemPath ? itemPath.slice(1).split('.') : [])) : match;
      if (input !== undefined) return named.inputs && Object.hasOwn(named.inputs, input) ? text(named.inputs[input]) : '';
      if (name === 'race.output') return named.race?.output ?? '';
      if (name === 'race.step') return named.race ? String(named.race.step) : '';
      if (field === 'output') return outputs.get(Number(step)) ?? '';
      return text(jsonAt(json.get(Number(step)), path ? path.slice(1).split('.') : []));
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
