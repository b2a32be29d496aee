/** `{{steps.N.output}}`: the output of step N, inserted into a later step's string inputs. */
const referencePattern = /\{\{\s*steps\.(\d+)\.output\s*\}\}/g;

/** Step numbers referenced anywhere in a value (strings inside objects and arrays included). */
export function referencedSteps(value: unknown): number[] {
  const found = new Set<number>();
  walkStrings(value, (text) => {
    for (const match of text.matchAll(referencePattern)) found.add(Number(match[1]));
  });
  return [...found].sort((a, b) => a - b);
}

/** Replaces every reference with the referenced step's output; a missing one becomes empty. */
export function renderTemplates<T>(value: T, outputs: ReadonlyMap<number, string>): T {
  return mapStrings(value, (text) =>
    text.replace(referencePattern, (_match, step: string) => outputs.get(Number(step)) ?? ''),
  ) as T;
}

function walkStrings(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) value.forEach((item) => walkStrings(item, visit));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((item) => walkStrings(item, visit));
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map)]));
  }
  return value;
}
