import type { HostInfo } from '../../../../shared/hosts.js';
import { booleanOption, stringOption } from '../args.js';
import { dataDirOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { table } from '../format.js';
import { withEngine } from '../open-engine.js';
import { printJson } from '../run-json.js';
import { UsageError } from '../usage-error.js';

const actions = ['add', 'list', 'remove', 'set', 'trust'] as const;

export const hostsCommand: Command = {
  name: 'hosts',
  summary: 'Add, list, remove remote hosts that steps run on over SSH; accept a host key.',
  usage: 'add NAME ssh://user@host[:port] [--repo-path PATH] | list [--no-check] | set NAME --repo-path PATH | remove NAME | trust NAME [--fingerprint SHA256:... [--replace]] [--json] [--data-dir DIR]',
  description: [
    'A host is a name for an ssh address; a step with "host": NAME, or an agent with location "remote"',
    'and host NAME, runs there through your own ssh (~/.ssh/config, keys, agent, ProxyJump apply;',
    '$PHOTON_SSH_CONFIG names another config file). Photon never asks for passwords: use keys.',
    '`list` connects to each host and shows its status, latency and last error (--no-check: what',
    'was last seen). A host key is never accepted silently: `trust NAME` shows the key the host',
    'presents; compare it with the server\'s own (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`',
    'there), then accept it with `trust NAME --fingerprint SHA256:...`. Accepted keys are kept in',
    'Photon\'s own known_hosts, beside your ~/.ssh/known_hosts, which counts too. A key that changed',
    'is refused until you check the new one with the server\'s administrator and replace the old one',
    'with `trust NAME --fingerprint SHA256:... --replace` (an old key in ~/.ssh/known_hosts is yours to remove).',
    'A run with workspaces makes a remote step\'s worktree in the host\'s clone of the repository:',
    'clone it there, then give its path with --repo-path (absolute, or ~/... under the home there);',
    '`set NAME --repo-path ""` clears it.',
  ].join('\n'),
  positionals: ['ACTION', '[NAME]', '[ADDRESS]'],
  options: {
    fingerprint: { type: 'string', value: 'SHA256:...', description: 'trust: the key to accept, as `trust NAME` showed it.' },
    replace: { type: 'boolean', description: 'trust: the host\'s key changed; the new key (--fingerprint) replaces the old one.' },
    'repo-path': { type: 'string', value: 'PATH', description: 'add, set: the host\'s clone of the repository, for steps with workspaces.' },
    'no-check': { type: 'boolean', description: 'list: do not connect; show what was last seen.' },
    json: { type: 'boolean', description: 'Print the result as JSON.' },
    'data-dir': dataDirOption,
  },
  async run({ values, positionals }) {
    const [action, name, address] = positionals as [string, string | undefined, string | undefined];
    if (!(actions as readonly string[]).includes(action)) {
      throw new UsageError(`unknown action "${action}": photon hosts add NAME ssh://user@host | list | set NAME --repo-path PATH | remove NAME | trust NAME`);
    }
    const dataDir = stringOption(values, 'data-dir');
    const json = booleanOption(values, 'json');
    if (action === 'list') {
      if (name !== undefined) throw new UsageError('photon hosts list takes no name');
      const hosts = await withEngine(dataDir, (engine) => engine.call('hosts.list', { check: !booleanOption(values, 'no-check') }));
      if (json) printJson(hosts);
      else printHosts(hosts);
      return hosts.every((host) => host.status === 'connected' || booleanOption(values, 'no-check')) ? exitCodes.ok : exitCodes.failed;
    }
    if (name === undefined) throw new UsageError(`missing NAME: photon hosts ${action} NAME${action === 'add' ? ' ssh://user@host[:port]' : ''}`);
    if (action !== 'add' && address !== undefined) throw new UsageError(`unexpected argument after NAME: photon hosts ${action} NAME`);
    const repoPath = stringOption(values, 'repo-path');
    if (repoPath !== undefined && action !== 'add' && action !== 'set') throw new UsageError(`--repo-path is for photon hosts add and set, not ${action}`);
    if (action === 'add') {
      if (address === undefined) throw new UsageError(`missing address: photon hosts add ${name} ssh://user@host[:port]`);
      const host = await withEngine(dataDir, (engine) => engine.call('hosts.add', { name, address, repoPath }));
      if (json) printJson(host);
      else process.stdout.write(`Added ${host.name} (${host.address}${host.repoPath ? `, clone at ${host.repoPath}` : ''}). Check it with \`photon hosts list\`; its key is accepted with \`photon hosts trust ${host.name}\`.\n`);
      return exitCodes.ok;
    }
    if (action === 'set') {
      if (repoPath === undefined) throw new UsageError(`nothing to set: photon hosts set ${name} --repo-path PATH`);
      const host = await withEngine(dataDir, (engine) => engine.call('hosts.setRepoPath', { name, repoPath: repoPath === '' ? null : repoPath }));
      if (json) printJson(host);
      else process.stdout.write(host.repoPath ? `Steps with workspaces on ${name} get their worktrees in its clone at ${host.repoPath}.\n` : `${name} has no clone of the repository set now.\n`);
      return exitCodes.ok;
    }
    if (action === 'remove') {
      const { removed } = await withEngine(dataDir, (engine) => engine.call('hosts.remove', { name }));
      if (!removed) {
        process.stderr.write(`photon hosts: no host "${name}"; \`photon hosts list\` shows them\n`);
        return exitCodes.usage;
      }
      process.stdout.write(`Removed ${name}.\n`);
      return exitCodes.ok;
    }
    const fingerprint = stringOption(values, 'fingerprint');
    const replace = booleanOption(values, 'replace');
    if (replace && fingerprint === undefined) throw new UsageError(`--replace needs the new key's fingerprint: photon hosts trust ${name} --fingerprint SHA256:... --replace`);
    const result = await withEngine(dataDir, (engine) => engine.call('hosts.trust', { name, fingerprint, ...(replace ? { replace } : {}) }));
    if (json) printJson(result);
    else if (result.trusted) process.stdout.write(`${replace ? 'Replaced the old key: trusted' : 'Trusted'} ${name}'s ${result.type} key ${result.fingerprint}.\n`);
    else {
      process.stdout.write(
        `${name} presents this ${result.type} key:\n  ${result.fingerprint}\n` +
          `If it is your server's (compare with \`ssh-keygen -lf /etc/ssh/ssh_host_${result.type.toLowerCase()}_key.pub\` on it), accept it with:\n` +
          `  photon hosts trust ${name} --fingerprint ${result.fingerprint}\n`,
      );
    }
    return exitCodes.ok;
  },
};

function printHosts(hosts: HostInfo[]): void {
  if (hosts.length === 0) {
    process.stdout.write('No hosts yet. Add one with `photon hosts add NAME ssh://user@host`.\n');
    return;
  }
  const rows = hosts.map((host) => [host.name, host.address, host.repoPath ?? '-', host.status.replace('_', ' '), host.latencyMs === null ? '-' : `${host.latencyMs} ms`]);
  process.stdout.write(`${table(['HOST', 'ADDRESS', 'REPOSITORY', 'STATUS', 'LATENCY'], rows, new Set([4]))}\n`);
  const problems = hosts.filter((host) => host.lastError && host.status !== 'connected');
  if (problems.length > 0) process.stdout.write(`\n${problems.map((host) => host.lastError).join('\n')}\n`);
}
