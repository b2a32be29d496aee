import type { AccessScope, ApiKeyInfo } from '../../../../shared/access.js';
import { booleanOption, stringOption } from '../args.js';
import { dataDirOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { formatLocalTime, table } from '../format.js';
import { withEngine } from '../open-engine.js';
import { printJson } from '../run-json.js';
import { UsageError } from '../usage-error.js';

const actions = ['create', 'list', 'revoke'] as const;

export const keysCommand: Command = {
  name: 'keys',
  summary: 'Make, list or revoke API keys for scripts, CI and other machines.',
  usage: 'create NAME --scope read|run|admin [--expires 30d] | list [--json] | revoke NAME|PREFIX [--data-dir DIR]',
  description: [
    'An API key lets a script, a CI job or another machine use the REST API and the WebSocket',
    '(as X-API-Key: KEY or Authorization: Bearer KEY). `create` prints the key once: copy it then,',
    'Photon keeps only a slow hash of it. Scopes: read sees everything but secrets; run also starts',
    'and cancels runs and answers approvals; admin also manages agents, secrets, keys and settings.',
    '--expires takes minutes, hours or days (90m, 12h, 30d); without it a key lasts until revoked.',
    '`revoke` takes the name or the 8-character prefix `list` shows; the key stops working at once.',
  ].join('\n'),
  positionals: ['ACTION', '[NAME]'],
  options: {
    scope: { type: 'string', value: 'read|run|admin', description: 'create: what the key may do.' },
    expires: { type: 'string', value: 'DURATION', description: 'create: how long the key lives (90m, 12h, 30d).' },
    json: { type: 'boolean', description: 'create: print { key, secret }; list: print the keys as a JSON array.' },
    'data-dir': dataDirOption,
  },
  async run({ values, positionals }) {
    const [action, name] = positionals as [string, string | undefined];
    if (!(actions as readonly string[]).includes(action)) throw new UsageError(`unknown action "${action}": photon keys create NAME --scope SCOPE | list | revoke NAME`);
    const dataDir = stringOption(values, 'data-dir');
    const json = booleanOption(values, 'json');
    if (action !== 'create' && (values.scope !== undefined || values.expires !== undefined)) throw new UsageError(`--scope and --expires go with \`photon keys create\`, not ${action}`);

    if (action === 'list') {
      if (name !== undefined) throw new UsageError('photon keys list takes no name');
      const keys = await withEngine(dataDir, (engine) => engine.call('keys.list', undefined));
      if (json) printJson(keys);
      else process.stdout.write(keys.length === 0 ? 'No API keys yet. Make one with `photon keys create NAME --scope read`.\n' : `${keyTable(keys)}\n`);
      return exitCodes.ok;
    }
    if (name === undefined) throw new UsageError(action === 'create' ? 'missing NAME: photon keys create NAME --scope read|run|admin' : 'missing NAME or PREFIX: photon keys revoke NAME|PREFIX');

    if (action === 'revoke') {
      const revoked = await withEngine(dataDir, (engine) => engine.call('keys.revoke', { key: name }));
      if (json) printJson(revoked);
      else process.stdout.write(`Revoked key "${revoked.name}" (${revoked.prefix}); it no longer opens anything.\n`);
      return exitCodes.ok;
    }

    // Loaded only here: zod comes with it, and `photon --help` must not pay for it.
    const { accessScopes, parseKeyLifetime } = await import('../../../../shared/access.js');
    const scope = stringOption(values, 'scope');
    if (scope === undefined) throw new UsageError(`missing --scope: photon keys create ${name} --scope read|run|admin`);
    if (!(accessScopes as readonly string[]).includes(scope)) throw new UsageError(`--scope must be read, run or admin, not "${scope}"`);
    const expires = stringOption(values, 'expires');
    const expiresInMs = expires === undefined ? undefined : parseKeyLifetime(expires);
    if (expires !== undefined && expiresInMs === undefined) throw new UsageError(`--expires takes a number and m, h or d (90m, 12h, 30d), not "${expires}"`);

    const created = await withEngine(dataDir, (engine) => engine.call('keys.create', { name, scope: scope as AccessScope, expiresInMs }));
    if (json) {
      printJson(created);
      return exitCodes.ok;
    }
    const until = created.key.expiresAt ? `until ${formatLocalTime(created.key.expiresAt)}` : 'until revoked';
    process.stderr.write(`Made key "${created.key.name}" (${created.key.prefix}) with scope ${created.key.scope}, valid ${until}.\nCopy it now: Photon keeps only a hash and cannot show it again.\n`);
    // The key alone on stdout, so `photon keys create ci --scope run > ci.key` stores just the key.
    process.stdout.write(`${created.secret}\n`);
    return exitCodes.ok;
  },
};

function keyTable(keys: readonly ApiKeyInfo[]): string {
  const rows = keys.map((key) => [
    key.prefix,
    key.scope,
    key.status,
    formatLocalTime(key.createdAt),
    key.expiresAt ? formatLocalTime(key.expiresAt) : 'never',
    key.lastUsedAt ? `${formatLocalTime(key.lastUsedAt)} from ${key.lastUsedFrom ?? '?'}` : 'never',
    key.name,
  ]);
  return table(['PREFIX', 'SCOPE', 'STATUS', 'CREATED', 'EXPIRES', 'LAST USED', 'NAME'], rows);
}
