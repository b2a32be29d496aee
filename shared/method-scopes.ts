import type { AccessScope } from './access.js';
import type { MethodName } from './api.js';

/**
 * The scope an API key needs for each method of the contract. A Record over every method name, so
 * a method added to the contract without a scope here is a compile error, not an open door. The app
 * itself (its window, the browser host's own token, the CLI in-process) is not limited by scopes.
 *
 * `run` covers everything that makes something execute on this machine: runs, terminals, sessions
 * and answering approvals; runs already execute whatever a workflow says, so a terminal adds no
 * power a `run` key lacks. `admin` covers what changes who or what is trusted: agents (their
 * environment and secrets), secrets, keys, approval rules, trusted setup scripts, the audit log.
 */
export const methodScopes: Record<MethodName, AccessScope> = {
  'workflows.list': 'read',
  'workflows.get': 'read',
  'workflows.validate': 'read',
  'workflows.save': 'run',
  'workflows.delete': 'run',
  'workflows.pin': 'run',

  'runs.get': 'read',
  'runs.list': 'read',
  'runs.timeline': 'read',
  'steps.get': 'read',
  'runs.start': 'run',
  'runs.cancel': 'run',
  'runs.update': 'run',
  'runs.resume': 'run',
  'runs.cancelAll': 'run',

  'workspaces.diff': 'read',
  'workspaces.branches': 'read',
  'workspaces.usage': 'read',
  'workspaces.setupScript': 'read',
  'workspaces.merge': 'run',
  'workspaces.pullRequest': 'run',
  'workspaces.discard': 'run',
  'workspaces.cleanup': 'run',
  'workspaces.prune': 'run',
  'workspaces.trustSetup': 'admin',

  'terminals.list': 'read',
  'terminals.attach': 'read',
  'terminals.detach': 'read',
  'terminals.ack': 'read',
  'terminals.forStep': 'read',
  'terminals.create': 'run',
  'terminals.write': 'run',
  'terminals.resize': 'run',
  'terminals.kill': 'run',
  'terminals.close': 'run',

  'tools.list': 'read',
  // Looking again starts the user's login shell and every tool's `--version`.
  'tools.detect': 'run',

  'agents.list': 'read',
  'agents.get': 'read',
  'agents.stats': 'read',
  // An agent's own process reports that it is alive, as a run-scoped script would.
  'agents.heartbeat': 'run',
  'agents.save': 'admin',
  'agents.cap': 'read',
  // How much of the machine runs may take is the machine owner's call, as agents' settings are.
  'agents.setCap': 'admin',
  'agents.delete': 'admin',

  // Names only, never values; still, which credentials exist is the secrets' business.
  'secrets.list': 'admin',
  'secrets.set': 'admin',
  'secrets.delete': 'admin',

  // Which machines steps may run on and which host keys are trusted: who and what is trusted.
  'hosts.list': 'read',
  'hosts.tools': 'read',
  'hosts.add': 'admin',
  'hosts.setRepoPath': 'admin',
  'hosts.remove': 'admin',
  'hosts.trust': 'admin',

  // A schedule starts runs of a workflow the caller could start; a trigger also opens a way in
  // (a webhook's secret, a watched folder): who and what is trusted.
  'schedules.list': 'read',
  'triggers.list': 'read',
  'triggers.webhookBase': 'read',
  'schedules.add': 'run',
  'schedules.remove': 'run',
  'schedules.setEnabled': 'run',
  'triggers.add': 'admin',
  'triggers.remove': 'admin',
  'triggers.setEnabled': 'admin',

  'approvals.list': 'read',
  'approvals.rules': 'read',
  'approvals.answer': 'run',
  'approvals.setRules': 'admin',

  'sessions.list': 'read',
  'sessions.get': 'read',
  'sessions.start': 'run',
  'sessions.send': 'run',
  'sessions.cancel': 'run',
  'sessions.close': 'run',

  'metrics.snapshot': 'read',
  'metrics.series': 'read',
  'system.info': 'read',

  'keys.list': 'admin',
  'keys.create': 'admin',
  'keys.revoke': 'admin',
  'audit.list': 'admin',
  // Who may reach Photon from elsewhere is a matter of trust; its state (the fingerprint) is no secret.
  'remote.get': 'read',
  'remote.configure': 'admin',
};
