/**
 * Limits on a workflow's raw data that its schema cannot state: how deep values nest, and the NUL
 * character that no process argument can carry. Both walks keep their own stack, so hostile input
 * (thousands of levels deep) gets an answer naming its place, never a stack overflow.
 */

/**
 * Deepest nesting a workflow may have, counting the file's top level as 1. A workflow is stored and
 * sent as JSON, and serialising a value some thousands deep overflows the stack; real workflows
 * stay within a dozen levels.
 */
export const maxNestingDepth = 100;

/** A problem found in raw data: `path` in the form validation issues use (`workflow[0].inputs.x`). */
export interface RawIssue {
  path: string;
  message: string;
}

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string | number | undefined;
}

/** The path of a frame; a very deep one is shortened in the middle, since it is read, not followed. */
function pathOf(frame: Frame, prefix: string): string {
  const keys: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f && f.key !== undefined; f = f.parent) keys.push(f.key);
  keys.reverse();
  const shown = keys.length > 12 ? [...keys.slice(0, 8), '…', ...keys.slice(-2)] : keys;
  let path = prefix;
  for (const key of shown) {
    if (typeof key === 'number') path += `[${key}]`;
    else if (key === '…') path += '.…';
    else path += path === '' ? key : `.${key}`;
  }
  return path;
}

/** The first value nested deeper than `maxNestingDepth`, with its place and the fix. */
export function nestingIssue(raw: unknown, maxDepth = maxNestingDepth): RawIssue | undefined {
  const stack: Frame[] = [{ value: raw, depth: 1, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value, depth } = frame;
    if (value === null || typeof value !== 'object') continue;
    if (depth > maxDepth) {
      return {
        path: pathOf(frame, ''),
        message: `nested more than ${maxDepth} levels deep; Photon keeps at most ${maxDepth} levels: flatten this value`,
      };
    }
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      if (item !== null && typeof item === 'object') stack.push({ value: item, depth: depth + 1, parent: frame, key });
    }
  }
  return undefined;
}

/**
 * Every string in `value` (objects and arrays included) that holds a NUL: a process's arguments
 * and environment are C strings, so the text would silently end there.
 */
export function nulIssues(value: unknown, prefix: string): RawIssue[] {
  const issues: RawIssue[] = [];
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const item = frame.value;
    if (typeof item === 'string') {
      const at = item.indexOf('\0');
      if (at !== -1) {
        issues.push({
          path: pathOf(frame, prefix),
          message: `holds a NUL character (\\u0000) at character ${at + 1}; a process cannot be given one (the text would end there): remove it`,
        });
      }
    } else if (item !== null && typeof item === 'object') {
      const entries: [string | number, unknown][] = Array.isArray(item) ? item.map((v, index) => [index, v]) : Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], depth: frame.depth + 1, parent: frame, key: entries[i]![0] });
    }
  }
  return issues;
}
