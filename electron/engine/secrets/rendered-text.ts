/**
 * What a reader sees of terminal output, for matching secret values however a terminal renders
 * them. Between two characters of a value, output may carry things that change nothing a person
 * reads as the value: line breaks (the pty turns each `\n` of a value into `\r\n`; a program that
 * wraps at the terminal width adds its own), spaces padding or indenting around those breaks, and
 * escape sequences (colours, cursor moves to the next line). Those are "gaps": the visible text
 * is everything else, each character with its index in the output, so a match in the visible
 * text maps back to the whole span of output that rendered it.
 */

export interface VisibleText {
  /** The output's characters outside gaps. */
  chars: string;
  /** For each character of `chars`, its index in the output. */
  at: number[];
}

/** Complete escape sequences: CSI (`ESC [ ... final`), OSC (ended by BEL or `ESC \`), and two-character ones. */
const csi = /\x1b\[[0-?]*[ -/]*[@-~]/y;
const osc = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/y;
const twoCharacter = /\x1b[ -Z\\-~]/y;
/** An escape sequence cut off by the end of a chunk: it may turn out to be a gap once the rest arrives. */
const unfinishedEscape = /\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*)?$/y;

function isLineBreak(c: string | undefined): boolean {
  return c === '\r' || c === '\n';
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

function escapeLength(text: string, index: number, final: boolean): number {
  for (const pattern of [csi, osc, twoCharacter]) {
    pattern.lastIndex = index;
    if (pattern.test(text)) return pattern.lastIndex - index;
  }
  if (!final) {
    unfinishedEscape.lastIndex = index;
    if (unfinishedEscape.test(text)) return text.length - index;
  }
  return 0;
}

/**
 * The visible text of `text`. With `final` false the text is a chunk that more may follow, so an
 * escape sequence or a run of blanks cut off at its end counts as a gap (it may become one).
 */
export function visibleText(text: string, final = true): VisibleText {
  let chars = '';
  const at: number[] = [];
  let afterBreak = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (isLineBreak(c)) {
      afterBreak = true;
      i++;
      continue;
    }
    if (c === '\x1b') {
      const length = escapeLength(text, i, final);
      if (length > 0) {
        i += length;
        continue;
      }
    }
    if (isBlank(c)) {
      let end = i;
      while (isBlank(text[end])) end++;
      // Blanks that indent a wrapped line, or pad a line out before its break.
      if (afterBreak || isLineBreak(text[end]) || (end === text.length && !final)) {
        i = end;
        continue;
      }
    }
    chars += c;
    at.push(i);
    afterBreak = false;
    i++;
  }
  return { chars, at };
}
