// CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks) ended by BEL or ST,
// and the two-character escapes; the same coverage as the widely used ansi-regex pattern.
const ansiPattern =
  // eslint-disable-next-line no-control-regex
  /[\u001B\u009B][[\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\d/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?(?:\u0007|\u001B\u005C|\u009C))|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-nq-uy=><~]))/g;

/** Removes terminal escape codes and normalises a pty's CRLF line ends to LF. */
export function stripAnsi(text: string): string {
  return text.replace(ansiPattern, '').replace(/\r+\n/g, '\n');
}

/** What a step's output means to the steps after it: its terminal text, without codes, trimmed. */
export function plainOutput(terminalText: string): string {
  return stripAnsi(terminalText).trim();
}
