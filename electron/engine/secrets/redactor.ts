/** What a secret's value becomes in anything Photon stores or shows. */
export function redactionMark(name: string): string {
  return `[secret ${name}]`;
}

/** Values shorter than this are not redacted: they would blank out ordinary words. */
const minimumLength = 4;

/**
 * Replaces secret values in text. `stream()` does the same for text arriving in chunks: it holds
 * back only an ending that could be the start of a value, so a value split across two chunks is
 * still caught while ordinary output (a prompt waiting for input) passes at once.
 */
export class Redactor {
  private readonly values: { value: string; mark: string }[];
  readonly longest: number;

  constructor(secrets: ReadonlyMap<string, string>) {
    this.values = [...secrets]
      .filter(([, value]) => value.length >= minimumLength)
      .map(([name, value]) => ({ value, mark: redactionMark(name) }))
      // Longest first, so a value that contains another is replaced whole.
      .sort((a, b) => b.value.length - a.value.length);
    this.longest = this.values[0]?.value.length ?? 0;
  }

  get isEmpty(): boolean {
    return this.values.length === 0;
  }

  /** Length of the longest ending of `text` that begins some value without completing it. */
  partialSuffixLength(text: string): number {
    for (let length = Math.min(text.length, this.longest - 1); length > 0; length--) {
      const ending = text.slice(text.length - length);
      if (this.values.some(({ value }) => value.startsWith(ending))) return length;
    }
    return 0;
  }

  redact(text: string): string {
    let result = text;
    for (const { value, mark } of this.values) result = result.split(value).join(mark);
    return result;
  }

  stream(): RedactingStream {
    return new RedactingStream(this);
  }
}

export class RedactingStream {
  private held = '';

  constructor(private readonly redactor: Redactor) {}

  /** Redacted text that is safe to pass on now. */
  push(chunk: string): string {
    if (this.redactor.isEmpty) return chunk;
    const text = this.redactor.redact(this.held + chunk);
    const keep = this.redactor.partialSuffixLength(text);
    this.held = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  /** Whatever was held back, at the end of the stream. */
  flush(): string {
    const rest = this.redactor.redact(this.held);
    this.held = '';
    return rest;
  }
}
