import { stripAnsi } from '../../shared/ansi.js';

/**
 * Terminal output as plain text for a tail view: escape codes removed, and a carriage return
 * (progress bars, spinners) keeps only what was written after it on that line.
 */
export function terminalToText(raw: string): string {
  const text = stripAnsi(raw);
  if (!text.includes('\r')) return text;
  return text
    .split('\n')
    .map((line) => {
      const trimmed = line.endsWith('\r') ? line.replace(/\r+$/, '') : line;
      const last = trimmed.lastIndexOf('\r');
      return last === -1 ? trimmed : trimmed.slice(last + 1);
    })
    .join('\n');
}
