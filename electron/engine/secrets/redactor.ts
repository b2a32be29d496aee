import { visibleText } from './rendered-text.js';

/** What a secret's value becomes in anything Photon stores or shows. */
export function redactionMark(name: string): string {
  return `[secret ${name}]`;
}

/** Values shorter than this are not redacted: they would blank out ordinary words. */
const minimumLength = 4;

/** One way a value can appear: its visible characters, and the table that lets a stream find where it may begin. */
interface Form {
  chars: string;
  mark: string;
  /** Knuth-Morris-Pratt failure table of `chars`: how much of it still matches after a mismatch. */
  failure: Int32Array;
}

/** A stretch of output to replace with a mark. */
interface Span {
  start: number;
  end: number;
  mark: string;
}

/**
 * Replaces secret values in text however a terminal renders them: with `\n` or `\r\n` line
 * endings, wrapped (line breaks, indentation, escape sequences between its characters), and, for a
 * value of several lines, also as a JSON string (`\n` written as backslash-n) as tools print it in
 * their structured output. `stream()` does the same for text arriving in chunks: it holds back
 * only an ending that could be the start of a value, so a value split across chunks is still
 * caught while ordinary output (a prompt waiting for input) passes at once.
 */
export class Redactor {
  private readonly forms: Form[];
  readonly longest: number;

  constructor(secrets: ReadonlyMap<string, string>) {
    const forms = new Map<string, string>();
    for (const [name, value] of secrets) {
      const mark = redactionMark(name);
      for (const rendering of [value, JSON.stringify(value).slice(1, -1)]) {
        const { chars } = visibleText(rendering);
        if (chars.length >= minimumLength && !forms.has(chars)) forms.set(chars, mark);
      }
    }
    this.forms = [...forms]
      .map(([chars, mark]) => ({ chars, mark, failure: failureTable(chars) }))
      // Longest first, so a value that contains another is replaced whole.
      .sort((a, b) => b.chars.length - a.chars.length);
    this.longest = this.forms[0]?.chars.length ?? 0;
  }

  get isEmpty(): boolean {
    return this.forms.length === 0;
  }

  redact(text: string): string {
    return this.process(text, true).text;
  }

  stream(): RedactingStream {
    return new RedactingStream(this);
  }

  /**
   * `text` with every value replaced. Unless `final`, the ending that could begin a value (with any
   * line breaks and escapes inside it) is returned apart as `held`, to be tried again with what follows.
   */
  process(text: string, final: boolean): { text: string; held: string } {
    if (this.isEmpty || text === '') return { text, held: '' };
    const visible = visibleText(text, final);
    const { chars, at } = visible;
    const taken = new Uint8Array(chars.length);
    const spans: Span[] = [];
    for (const form of this.forms) {
      const length = form.chars.length;
      for (let found = chars.indexOf(form.chars); found !== -1; found = chars.indexOf(form.chars, found + length)) {
        if (taken[found] || taken[found + length - 1]) continue;
        taken.fill(1, found, found + length);
        spans.push({ start: at[found]!, end: at[found + length - 1]! + 1, mark: form.mark });
      }
    }
    spans.sort((a, b) => a.start - b.start);

    let holdFrom = text.length;
    if (!final) {
      const lastTaken = taken.lastIndexOf(1);
      const partial = this.partialStart(chars, lastTaken + 1);
      // Line breaks and escapes after that beginning are held with it: the value may continue past them.
      if (partial < chars.length) holdFrom = at[partial]!;
    }

    let result = '';
    let position = 0;
    for (const span of spans) {
      result += text.slice(position, span.start) + span.mark;
      position = span.end;
    }
    result += text.slice(position, holdFrom);
    return { text: result, held: text.slice(holdFrom) };
  }

  /** Where the longest ending of `chars` (from `from` on) that begins some value without completing it starts; `chars.length` if none. */
  private partialStart(chars: string, from: number): number {
    let best = chars.length;
    for (const form of this.forms) {
      const failure = form.failure;
      const pattern = form.chars;
      // A proper prefix is shorter than the value, so only that many last characters can hold one.
      let matched = 0;
      for (let i = Math.max(from, chars.length - (pattern.length - 1)); i < chars.length; i++) {
        while (matched > 0 && chars[i] !== pattern[matched]) matched = failure[matched - 1]!;
        if (chars[i] === pattern[matched]) matched++;
        if (matched === pattern.length) matched = failure[matched - 1]!;
      }
      if (matched > 0) best = Math.min(best, chars.length - matched);
    }
    return best;
  }
}

function failureTable(pattern: string): Int32Array {
  const table = new Int32Array(pattern.length);
  let k = 0;
  for (let i = 1; i < pattern.length; i++) {
    while (k > 0 && pattern[i] !== pattern[k]) k = table[k - 1]!;
    if (pattern[i] === pattern[k]) k++;
    table[i] = k;
  }
  return table;
}

export class RedactingStream {
  private held = '';

  constructor(private readonly redactor: Redactor) {}

  /** Redacted text that is safe to pass on now. */
  push(chunk: string): string {
    if (this.redactor.isEmpty) return chunk;
    const { text, held } = this.redactor.process(this.held + chunk, false);
    this.held = held;
    return text;
  }

  /** Whatever was held back, at the end of the stream. */
  flush(): string {
    const rest = this.redactor.process(this.held, true).text;
    this.held = '';
    return rest;
  }
}
