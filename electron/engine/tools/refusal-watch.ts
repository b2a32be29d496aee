/**
 * Refused credentials seen while a tool is still running. Claude Code retries a 401 by itself ten
 * times (about three minutes) and Codex five times before either gives up; a refused key does not
 * start working on the fourth try, so the attempt is stopped at the first refusal the tool reports
 * instead of keeping the user waiting for its verdict. Aider does not retry a refused key, but then
 * asks whether to open the provider's page about keys and waits for an answer.
 */
import { toolKeys } from '../../../shared/tool-keys.js';
import { jsonLines, numberField, stringField, terminalLines, type JsonObject } from './terminal-text.js';

/** Fed the tool's output as it arrives; says why the attempt should stop now, once, or nothing. */
export type RefusalWatch = (chunk: string) => string | undefined;

/** What one event says: a refusal the tool is retrying, another event, or nothing (noise). */
type Reading = { refused: string } | 'other';

/** The longest partial line kept between chunks: a refusal is a short line, a huge one is not it. */
const maxPendingLine = 64 * 1024;

/** Reads one line of the tool's output as the terminal gave it (escape codes, `\r` rewrites and all). */
type LineReader = (line: string) => Reading | undefined;

/**
 * A watch over the tool's output, line by line. The tool's own sign-in (no key given) may renew its
 * token after a first 401 and go on, so there a refusal must come twice in a row, unless the tool
 * never retries one (`renewsSignIn: false`); a key that was given and refused stays refused, and
 * one report is enough.
 */
export function refusalWatch(platform: string, env: Readonly<Record<string, string | undefined>>, read: LineReader, options: { renewsSignIn?: boolean } = {}): RefusalWatch {
  const keyGiven = (toolKeys[platform]?.keys ?? []).some((name) => (env[name] ?? '').trim() !== '');
  const needed = keyGiven || options.renewsSignIn === false ? 1 : 2;
  let pending = '';
  let inARow = 0;
  let said = false;
  return (chunk) => {
    if (said) return undefined;
    pending += chunk;
    const end = pending.lastIndexOf('\n');
    if (end < 0) {
      if (pending.length > maxPendingLine) pending = '';
      return undefined;
    }
    const complete = pending.slice(0, end);
    pending = pending.slice(end + 1);
    for (const line of complete.split(/\r*\n/)) {
      const reading = read(line);
      if (reading === undefined) continue;
      if (reading === 'other') {
        inARow = 0;
        continue;
      }
      if (++inARow >= needed) {
        said = true;
        return reading.refused;
      }
    }
    return undefined;
  };
}

/** A reader of JSON-lines output: each line's object, noise lines skipped. */
export function jsonEvents(read: (event: JsonObject) => Reading | undefined): LineReader {
  return (line) => {
    const event = jsonLines(line)[0];
    return event ? read(event) : undefined;
  };
}

const authStatuses = new Set([401, 403]);

/** Claude Code's stream-json: `system`/`api_retry` with `error_status` 401 or 403 (`error`: `authentication_failed`). */
export function claudeRefusal(label: string): (event: JsonObject) => Reading | undefined {
  return (event) => {
    if (event.type === 'system' && event.subtype === 'api_retry') {
      const status = numberField(event, 'error_status');
      const reason = stringField(event, 'error');
      if ((status !== undefined && authStatuses.has(status)) || reason === 'authentication_failed') {
        const max = numberField(event, 'max_retries');
        return { refused: `${label}'s credentials were refused (HTTP ${status ?? 401}${reason ? `, ${reason.replace(/_/g, ' ')}` : ''}) and it was retrying them by itself${max !== undefined ? ` (up to ${max} times)` : ''}: Photon stopped it at the first refusal` };
      }
      return 'other';
    }
    return event.type === 'assistant' || event.type === 'user' || event.type === 'result' ? 'other' : undefined;
  };
}

/** Codex's `exec --json`: an `error` event "Reconnecting... N/5 (unexpected status 401 Unauthorized: ...)". */
export function codexRefusal(event: JsonObject): Reading | undefined {
  if (event.type !== 'error') return event.type === 'item.completed' || event.type === 'turn.completed' ? 'other' : undefined;
  const message = stringField(event, 'message') ?? '';
  const status = /\b(401 Unauthorized|403 Forbidden)\b/.exec(message);
  if (!/^Reconnecting\b/.test(message)) return undefined;
  if (!status) return 'other';
  return { refused: `Codex's key was refused (${status[1]}) and it was reconnecting to try again: Photon stopped it at the first refusal` };
}

/**
 * Aider (text): litellm's AuthenticationError is followed by "The API provider is not able to
 * authenticate you. Check your API key." and, when the error names a page, the question whether
 * to open it, which waits for an answer unless --yes-always.
 */
export function aiderRefusal(line: string): Reading | undefined {
  if (/^The API provider is not able to authenticate you\b/.test(terminalLines(line).pop()?.trim() ?? '')) {
    return { refused: "Aider's key was refused (litellm.AuthenticationError): Photon stopped it before it waited on a question" };
  }
  return undefined;
}
