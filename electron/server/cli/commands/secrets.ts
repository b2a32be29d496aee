import { booleanOption, stringOption } from '../args.js';
import { dataDirOption, type Command } from '../command.js';
import { exitCodes, exitCodeForSignal } from '../exit-codes.js';
import { withEngine } from '../open-engine.js';
import { readSecretValue, SecretEntryCancelled } from '../read-secret.js';
import { printJson } from '../run-json.js';
import { UsageError } from '../usage-error.js';

const actions = ['list', 'set', 'delete'] as const;

export const secretsCommand: Command = {
  name: 'secrets',
  summary: 'List, set or delete API keys in the OS keychain.',
  usage: 'list | set NAME | delete NAME [--json] [--data-dir DIR]',
  description: [
    'Secrets live in the OS keychain (service "Photon"); agents name the ones they use and the',
    'variable each fills. `list` prints names only: no command ever prints a value. `set NAME`',
    'reads the value from stdin when it is piped, else from a prompt that does not echo it; never',
    'from the command line, where it would stay in your shell history.',
  ].join('\n'),
  // VALUE is listed only to refuse it with the reason, rather than as an unknown argument.
  positionals: ['ACTION', '[NAME]', '[VALUE]'],
  options: {
    json: { type: 'boolean', description: 'list: print { available, reason, names } as JSON.' },
    'data-dir': dataDirOption,
  },
  async run({ values, positionals }) {
    const [action, name, value] = positionals as [string, string | undefined, string | undefined];
    if (!(actions as readonly string[]).includes(action)) {
      throw new UsageError(`unknown action "${action}": photon secrets list | set NAME | delete NAME`);
    }
    const dataDir = stringOption(values, 'data-dir');
    if (action === 'list') {
      if (name !== undefined) throw new UsageError('photon secrets list takes no name');
      const listed = await withEngine(dataDir, (engine) => engine.call('secrets.list', undefined));
      if (booleanOption(values, 'json')) printJson(listed);
      else if (!listed.available) process.stderr.write(`photon secrets: ${listed.reason}\n`);
      else process.stdout.write(listed.names.length > 0 ? `${listed.names.join('\n')}\n` : 'No secrets yet. Add one with `photon secrets set NAME`.\n');
      return listed.available ? exitCodes.ok : exitCodes.failed;
    }
    if (name === undefined) throw new UsageError(`missing NAME: photon secrets ${action} NAME`);
    if (value !== undefined) {
      throw new UsageError(
        action === 'set'
          ? `a secret's value is never taken from the command line (it stays in your shell history and shows in \`ps\`); pipe it in (\`photon secrets set ${name} < file\`) or type it at the prompt. Consider the value you typed exposed.`
          : `unexpected argument after NAME: photon secrets ${action} NAME`,
      );
    }
    // Checked before the value is asked for, not after it was typed. The contract's schemas load
    // only here, not with every command.
    const { methods } = await import('../../../../shared/api.js');
    const named = methods['secrets.set'].params.shape.name.safeParse(name);
    if (!named.success) throw new UsageError(`secret name "${name}": ${named.error.issues[0]!.message}`);
    if (action === 'set') {
      let secret: string;
      try {
        secret = await readSecretValue(name);
      } catch (error) {
        if (error instanceof SecretEntryCancelled) return exitCodeForSignal('SIGINT');
        throw error;
      }
      await withEngine(dataDir, (engine) => engine.call('secrets.set', { name, value: secret }));
      process.stdout.write(`Stored ${name} in the keychain.\n`);
      return exitCodes.ok;
    }
    const { deleted } = await withEngine(dataDir, (engine) => engine.call('secrets.delete', { name }));
    if (!deleted) {
      process.stderr.write(`photon secrets: no secret "${name}" in the keychain; \`photon secrets list\` shows the names\n`);
      return exitCodes.usage;
    }
    process.stdout.write(`Deleted ${name} from the keychain.\n`);
    return exitCodes.ok;
  },
};
