/**
 * The recent output of a terminal, bounded by characters, so a reloaded page or a second window
 * attaching to a running terminal sees what it missed without the engine's memory growing.
 */
export class Scrollback {
  private chunks: string[] = [];
  private size = 0;
  private dropped = false;

  constructor(private readonly limitChars: number) {}

  append(data: string): void {
    this.chunks.push(data);
    this.size += data.length;
    while (this.size > this.limitChars && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
      this.dropped = true;
    }
    if (this.size > this.limitChars) {
      const only = this.chunks[0]!;
      this.chunks[0] = only.slice(only.length - this.limitChars);
      this.size = this.chunks[0].length;
      this.dropped = true;
    }
  }

  snapshot(): string {
    // Joining once keeps later attaches cheap.
    const text = this.chunks.join('');
    this.chunks = text.length > 0 ? [text] : [];
    if (!this.dropped) return text;
    // The cut may fall inside a line or an escape sequence; start the replay at a line break.
    const firstBreak = text.indexOf('\n');
    return firstBreak >= 0 && firstBreak < 4096 ? text.slice(firstBreak + 1) : text;
  }

  get length(): number {
    return this.size;
  }
}
