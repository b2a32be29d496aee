import type { WorkflowStep } from '../../shared/workflow.js';

/*
 * A fan-out's `forEach` as the inspector edits it: a list written in place (one item a line, or a
 * JSON list), or an earlier step's JSON output at a path (`{{steps.2.json.files}}`). Anything else
 * a file holds (a template of another shape) is kept and edited as written.
 */

export type ForEachSource =
  | { mode: 'list'; text: string }
  | { mode: 'step'; step: number | null; path: string }
  | { mode: 'template'; text: string };

const stepListPattern = /^\{\{\s*steps\.(\d+)\.json((?:\.[A-Za-z0-9_$-]+)*)\s*\}\}$/;

/** A list shown one item a line when every item is a one-line string; otherwise as JSON. */
export function listText(items: readonly unknown[]): string {
  const plain = items.every((item) => typeof item === 'string' && item.trim() === item && item !== '' && !item.includes('\n') && !item.startsWith('['));
  return plain ? items.join('\n') : JSON.stringify(items);
}

export function forEachSource(forEach: NonNullable<WorkflowStep['forEach']>): ForEachSource {
  if (Array.isArray(forEach)) return { mode: 'list', text: listText(forEach) };
  const match = stepListPattern.exec(forEach.trim());
  if (match) return { mode: 'step', step: Number(match[1]), path: match[2]!.replace(/^\./, '') };
  return { mode: 'template', text: forEach };
}

/**
 * The items of the text written in the list box: a JSON list when it starts with `[`, else one
 * item a line (blank lines left out). A `[` that does not parse is refused, naming where.
 */
export function listFromText(text: string): { ok: true; items: unknown[] } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (Array.isArray(value)) return { ok: true, items: value };
      return { ok: false, message: 'This is JSON but not a list: write [ "a", "b" ], or one item a line.' };
    } catch (error) {
      return { ok: false, message: `Not a JSON list yet (${error instanceof Error ? error.message : String(error)}): finish it, or write one item a line without the [.` };
    }
  }
  return { ok: true, items: text.split('\n').map((line) => line.trim()).filter((line) => line !== '') };
}

/** `{{steps.2.json.files}}`: the list at `path` in step 2's JSON output (the whole output when the path is empty). */
export function stepListTemplate(step: number, path: string): string {
  const cleaned = path.trim().replace(/^\.+|\.+$/g, '');
  return `{{steps.${step}.json${cleaned ? `.${cleaned}` : ''}}}`;
}
