/**
 * Rates as people write them (`600/min`, `20/s`, `5000/h`, `off`), for the rate limits of API keys
 * and client addresses. Free of zod, so the CLI reads its flags without loading the schemas.
 */

/** A rate: that many requests, earned back evenly over the window. */
export interface RatePolicy {
  /** Requests a client may make at once (the bucket's size). */
  limit: number;
  /** Seconds in which an empty bucket fills again. */
  windowSeconds: number;
}

const windowUnits: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600 };

/** The form a rate is written in, for messages. */
export const rateForm = 'requests per window, such as 600/min, 20/s or 5000/h, or off';

/** `600/min`, `20/s`, `5000/h` as a policy; `off` as null; undefined when the text is neither. */
export function parseRate(text: string): RatePolicy | null | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'off') return null;
  const match = /^([1-9][0-9]{0,6})\s*\/\s*([a-z]+)$/.exec(trimmed);
  const seconds = match ? windowUnits[match[2]!] : undefined;
  if (!match || seconds === undefined) return undefined;
  return { limit: Number(match[1]), windowSeconds: seconds };
}
