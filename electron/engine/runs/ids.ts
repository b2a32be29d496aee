import { randomBytes } from 'node:crypto';

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Short ids that sort by creation time, so a prefix typed at the command line finds recent runs. */
export function newId(): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const random = [...randomBytes(6)].map((byte) => alphabet[byte % alphabet.length]).join('');
  return `${time}${random}`;
}
