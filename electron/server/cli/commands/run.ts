import type { MethodParams } from '../../../../shared/api.js';
import type { Engine } from '../../../engine/index.js';
import { booleanOption, integerOption, stringOption } from '../args.js';
import { dataDirOption, jsonOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { dataDirArgs, withLocalEngine } from '../open-engine.js';
import { apiKeyOption, remoteTarget, serverOption } from '../remote-engine.js';
import { UsageError } from '../usage-error.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a workflow file, showing live progress.',
  usage: 'FILE [--concurrency N] [--max-agents N] [--worktree [--base REF]] [--trust-setup] [--json] [--data-dir DIR | --server URL --api-key KEY]',
  description: [
    'Validates FILE (nothing runs and nothing is written when it is invalid), then runs its steps,',
    'in parallel where the dependencies allow. Relative step folders resolve against FILE\'s folder.',
    'Ctrl-C cancels the run and stops every process it started before Photon exits.',
    '',
    'With --worktree (or a "workspace" in FILE) each step works in its own git worktree and branch',
    '(photon/RUN-step-N) under the data folder, made from its dependencies\' results; the run\'s result is',
    'the branch photon/RUN. The repository (FILE\'s, or workspace.repo) and its branches are never',
    'checked out or changed otherwise.',
    '',
    'With --server (or PHOTON_SERVER) the run starts on that running Photon through its REST API,',
    'followed live over its event stream; --api-key (or PHOTON_API_KEY) is a key of scope run.',
    '',
    'Exit codes: 0 every step succeeded, 1 the run failed, 2 invalid file or usage, 130 Ctrl-C.',
  ].join('\n'),
  positionals: ['FILE'],
  options: {
    concurrency: { type: 'string', value: 'N', description: 'Steps that may run at once (1-64, default 4).' },
    'max-agents': { type: 'string', value: 'N', description: 'AI agents running at once, across runs (1-1024; default: the cap saved in Settings, else the CPU cores).' },
    worktree: { type: 'boolean', description: 'Each step in its own git worktree of the repository FILE is in (or workspace.repo).' },
    base: { type: 'string', value: 'REF', description: 'With --worktree: the branch, tag or commit steps start from (default: the current branch).' },
    'trust-setup': {
      type: 'boolean',
      description: "Trust the workspace's setup script (.photon/setup or workspace.setup) as it is now, printing it and its sha256, then run.",
    },
    json: jsonOption,
    'data-dir': dataDirOption,
    server: serverOption,
    'api-key': apiKeyOption,
  },
  async run({ values, positionals }) {
    const file = positionals[0]!;
    const concurrency = integerOption(values, 'concurrency', 1, 64);
    const maxAgents = integerOption(values, 'max-agents', 1, 1024);
    const remote = remoteTarget(values);
    // The steps' terminal host starts while the rest loads, rather than when the first step starts
    // (a `photon daemon` on the data folder, or a file found invalid, leaves it unused: it ends with this process).
    if (!remote) void import('../../../engine/early.js').then(({ startTerminalHost }) => startTerminalHost());
    // Loaded when the command runs, not with `photon --help`: they bring zod and the workflow schemas.
    const [{ loadWorkflowFile, printIssues }, { StepBoard }, { watchRun, localRunSource }] = await Promise.all([
      import('../workflow-file.js'),
      import('../progress/index.js'),
      import('../watch-run.js'),
    ]);
    const loaded = await loadWorkflowFile(file);
    if (!loaded.ok) {
      printIssues(file, loaded.issues);
      return exitCodes.usage;
    }
    if (remote) {
      if (maxAgents !== undefined) throw new UsageError("--max-agents is for the local engine; a server's cap is its own (photon serve --max-agents N, or its Settings)");
      if (booleanOption(values, 'worktree') || booleanOption(values, 'trust-setup')) {
        throw new UsageError('--worktree and --trust-setup are for the local engine; with --server, put "workspace" in the workflow file and trust its setup on that machine');
      }
      const { runRemote } = await import('../remote-commands.js');
      return runRemote(remote, { workflow: loaded.workflow, baseDir: loaded.folder, concurrency, json: booleanOption(values, 'json') });
    }
    const base = stringOption(values, 'base');
    if (base !== undefined && !booleanOption(values, 'worktree')) throw new UsageError('--base goes with --worktree: `photon run FILE --worktree --base REF`');
    const workspace = booleanOption(values, 'worktree') ? { isolation: 'worktree' as const, ...(base !== undefined ? { base } : {}) } : undefined;
    const dataDir = stringOption(values, 'data-dir');
    const trustSetup = booleanOption(values, 'trust-setup');
    // A `photon daemon` on the data folder runs it, so its history, approvals and agent slots are
    // one engine's; what only an engine of this process's own does (worktrees, a setup script to
    // trust, its own agent cap) runs here as before.
    if (workspace === undefined && !trustSetup && maxAgents === undefined) {
      const { daemonTarget } = await import('../open-engine.js');
      const daemon = await daemonTarget(dataDir);
      if (daemon) {
        const { runRemote } = await import('../remote-commands.js');
        return runRemote(daemon, { workflow: loaded.workflow, baseDir: loaded.folder, concurrency, json: booleanOption(values, 'json'), extraArgs: dataDirArgs(dataDir) });
      }
    }
    if (trustSetup && workspace === undefined && (loaded.workflow.workspace === undefined || loaded.workflow.workspace.isolation === 'none')) {
      throw new UsageError('--trust-setup is for runs with workspaces: add --worktree, or "workspace": { "repo": "." } to the workflow file');
    }
    return withLocalEngine(dataDir, async (engine) => {
      if (trustSetup) await trustSetupScript(engine, { workflow: loaded.workflow, baseDir: loaded.folder, workspace: base !== undefined ? { base } : undefined });
      return watchRun({
        source: localRunSource(engine),
        board: StepBoard.forNewRun(loaded.workflow),
        json: booleanOption(values, 'json'),
        resumed: false,
        extraArgs: dataDirArgs(dataDir),
        start: async () => (await engine.call('runs.start', { workflow: loaded.workflow, concurrency, baseDir: loaded.folder, workspace })).runId,
      });
    }, { maxAgents });
  },
};

/** Trusts the setup script as it is now, showing the text and hash trusted (on stderr: stdout may be --json). */
async function trustSetupScript(engine: Engine, target: MethodParams<'workspaces.setupScript'>): Promise<void> {
  const script = await engine.call('workspaces.setupScript', target);
  if (!script) {
    process.stderr.write('No setup script to trust (no workspace.setup in the workflow, no .photon/setup in the repository).\n');
    return;
  }
  await engine.call('workspaces.trustSetup', { ...target, sha256: script.sha256 });
  const text = script.text.replace(/\n$/, '').split('\n').map((line) => `  | ${line}`);
  process.stderr.write(`Trusted the setup script ${script.location}\n  sha256 ${script.sha256}\n${text.join('\n')}\n`);
}
