import type { AuditEntry } from '../../../../shared/access.js';
import { booleanOption, integerOption, stringOption } from '../args.js';
import { dataDirOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { formatLocalTime, table } from '../format.js';
import { withEngine } from '../open-engine.js';
import { UsageError } from '../usage-error.js';

const pageSize = 10_000;

export const auditCommand: Command = {
  name: 'audit',
  summary: 'The security log: failed sign-ins, key use, keys made and revoked, refused requests.',
  usage: '[--since 24h|DATE] [--limit N] [--json] [--data-dir DIR]',
  description: [
    'Prints the audit log, oldest first: sign-ins that failed (and why), each key\'s use by scope,',
    'keys made and revoked, requests refused for their scope, their rate, their Host or Origin.',
    'Repeats from one source within a minute share an entry that says how many. --since takes a',
    'duration back from now (90m, 24h, 7d) or an ISO date (2026-03-01, 2026-03-01T12:00:00Z).',
    '--json prints JSON lines, one entry a line, for a log collector or `jq`.',
  ].join('\n'),
  positionals: [],
  options: {
    since: { type: 'string', value: 'WHEN', description: 'Only entries since then: 24h, 7d, or an ISO date.' },
    limit: { type: 'string', value: 'N', description: 'At most the newest N entries (default: all since --since, else the newest 1000).' },
    json: { type: 'boolean', description: 'Print JSON lines, one entry a line.' },
    'data-dir': dataDirOption,
  },
  async run({ values }) {
    const sinceText = stringOption(values, 'since');
    const since = sinceText === undefined ? undefined : await parseSince(sinceText);
    const limit = integerOption(values, 'limit', 1, 1_000_000) ?? (since === undefined ? 1000 : undefined);
    const entries = await withEngine(stringOption(values, 'data-dir'), async (engine) => {
      const found: AuditEntry[] = [];
      // Newest first, a page at a time, until the limit or the start of the window.
      for (;;) {
        const want = limit === undefined ? pageSize : Math.min(pageSize, limit - found.length);
        const page = await engine.call('audit.list', { since, limit: want, before: found.at(-1)?.id });
        found.push(...page);
        if (page.length < want || (limit !== undefined && found.length >= limit)) return found.reverse();
      }
    });
    if (booleanOption(values, 'json')) {
      process.stdout.write(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
      return exitCodes.ok;
    }
    if (entries.length === 0) {
      process.stdout.write(since ? `Nothing in the audit log since ${formatLocalTime(since)}.\n` : 'The audit log is empty.\n');
      return exitCodes.ok;
    }
    const rows = entries.map((e) => [formatLocalTime(e.at), e.kind, e.address ?? '-', e.keyName ? `${e.keyName} (${e.keyPrefix})` : (e.keyPrefix ?? '-'), e.target ?? '-', e.detail]);
    process.stdout.write(`${table(['TIME', 'EVENT', 'FROM', 'KEY', 'TARGET', 'DETAIL'], rows)}\n`);
    return exitCodes.ok;
  },
};

/** A duration back from now, or a date: as ISO, which the log compares as text. */
async function parseSince(text: string): Promise<string> {
  // Loaded only here: zod comes with it, and `photon --help` must not pay for it.
  const { parseKeyLifetime } = await import('../../../../shared/access.js');
  const back = parseKeyLifetime(text);
  if (back !== undefined) return new Date(Date.now() - back).toISOString();
  const date = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) throw new UsageError(`--since takes a duration (90m, 24h, 7d) or an ISO date (2026-03-01T12:00:00Z), not "${text}"`);
  return new Date(date).toISOString();
}
