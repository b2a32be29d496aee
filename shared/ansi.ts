// OSC sequences (titles, hyperlinks: any text up to BEL or ST), then CSI sequences (colours,
// cursor moves) and the two-character escapes: the coverage of the widely used ansi-regex
// pattern (6.2), whose OSC part allows the spaces a title like "user@host: ~/src" has.
const ansiPattern =
  /\u001B\][\s\S]*?(?:\u0007|\u001B\u005C|\u009C)|[\u001B\u009B][[\]()#;?]*(?:\d{1,4}(?:[;:]\d{0,4})*)?[\dA-PR-TZcf-nq-uy=><~]/g;

/** Removes terminal escape codes and normalises a pty's CRLF line ends to LF. */
export function stripAnsi(text: string): string {
  return text.replace(ansiPattern, '').replace(/\r+\n/g, '\n');
}

/** What a step's output means to the steps after it: its terminal text, without codes, trimmed. */
export function plainOutput(terminalText: string): string {
  return stripAnsi(terminalText).trim();
}
