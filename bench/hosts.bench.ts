/**
 * `npx tsx bench/hosts.bench.ts`: what running a step on a remote host costs, against the same
 * step run here, in the same process and interleaved. The host is a real sshd started for the
 * bench on 127.0.0.1 (the network adds nothing, so what is measured is Photon's and OpenSSH's own
 * work: the shared connection, the remote pty, the preamble, the stopper), as in the tests.
 *   - overhead: a one-step run of `true`, from runs.start to the run's end, median of --reps;
 *   - worktree: the same one-step run with a workspace (isolation), its step in a worktree of the
 *     host's clone: the step's starting point pushed there, the worktree made, the step, its commit
 *     fetched back, the worktree removed. Median of --reps, interleaved with the others;
 *   - sessions: the ssh processes each kind of run starts (what for, and how long each took), from
 *     one more run of each with an engine of its own whose `ssh` is a logging wrapper (not timed);
 *   - throughput: a step printing --mb megabytes of base64 through its terminal, MB/s of output
 *     from runs.start to the run's end, median of --reps.
 * Not a test. Options: --reps N (default 15), --mb N (default 20).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createEngine, type Engine } from '../electron/engine/index.js';
import { sshLog } from '../test/engine/hosts/ssh-log.js';
import { sshdAvailable, startSshd } from '../test/engine/hosts/sshd.js';
import { median, timeProcess } from './lib/measure.js';
import { clientOptions } from '../electron/engine/hosts/ssh-options.js';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '15' }, mb: { type: 'string', default: '20' } } });
const reps = Number(values.reps);
const megabytes = Number(values.mb);

async function timedRun(engine: Engine, work: string, command: string, host: string | undefined, isolated = false): Promise<number> {
  const started = performance.now();
  const { runId } = await engine.call('runs.start', {
    workflow: { name: 'bench', ...(isolated ? { workspace: { repo: 'repo' } } : {}), workflow: [{ step: 1, platform: 'shell', inputs: { command }, dependencies: [], ...(host ? { host } : {}) }] },
    baseDir: work,
  });
  const status = await engine.waitForRun(runId);
  if (status !== 'succeeded') throw new Error(`run ${runId} ${status}: ${JSON.stringify((await engine.call('runs.get', { runId })).steps.map((step) => step.error))}`);
  return performance.now() - started;
}

/**
 * An `ssh` first on the PATH of an engine of its own that logs, for each ssh that engine or its
 * git starts, what it is for and how long it ran; then one run of each kind, and what was logged.
 */
async function countSessions(root: string, sshd: Awaited<ReturnType<typeof startSshd>>, work: string): Promise<string[]> {
  const log = sshLog(root);
  const engine = await createEngine({
    dataDir: join(root, 'data-counted'),
    host: 'cli',
    loginShell: false,
    env: { ...process.env, PATH: log.path },
    hosts: { sshConfig: sshd.clientConfig, userKnownHosts: false },
  });
  const lines: string[] = [];
  try {
    await engine.call('hosts.add', { name: 'bench', address: sshd.url });
    await engine.call('hosts.trust', { name: 'bench', fingerprint: sshd.hostKeyFingerprint });
    await engine.call('hosts.setRepoPath', { name: 'bench', repoPath: join(root, 'host-clone') });
    await timedRun(engine, work, 'true', 'bench');
    for (const [label, isolated] of [['plain remote step', false], ['remote worktree step', true]] as const) {
      // Past the 5 s a confirmed connection is taken as it is: what a step started a while after the last one pays.
      for (const after of ['right after another', 'after 6 s']) {
        if (after !== 'right after another') await new Promise((resolve) => setTimeout(resolve, 6000));
        else await timedRun(engine, work, 'true', 'bench', isolated);
        log.clear();
        const t0 = Date.now();
        const ms = await timedRun(engine, work, 'true', 'bench', isolated);
        const entries = log.entries();
        const what = entries.map((entry) => `${entry.purpose} (at ${(entry.startedAt - t0).toFixed(0)}) ${entry.ms.toFixed(0)} ms`);
        lines.push(`  ${label}, ${after}: ${entries.length} ssh in ${ms.toFixed(0)} ms: ${what.join(', ')}`);
      }
    }
  } finally {
    await engine.close();
  }
  return lines;
}

async function main(): Promise<void> {
  if (!sshdAvailable) throw new Error('needs /usr/sbin/sshd (apt install openssh-server)');
  const root = mkdtempSync(join(tmpdir(), 'photon-bench-hosts-'));
  const work = join(root, 'work');
  mkdirSync(work);
  const sshd = await startSshd(join(root, 'sshd'));
  // A repository here and its clone on the host, for the worktree step.
  const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  const repo = join(work, 'repo');
  execFileSync('sh', ['-c', 'git init -q --initial-branch=main "$1" && cd "$1" && git config user.name Bench && git config user.email bench@example.com && echo start > notes.txt && git add notes.txt && git commit -qm start', 'sh', repo], { env: gitEnv });
  execFileSync('git', ['clone', '--quiet', repo, join(root, 'host-clone')], { env: gitEnv });
  const engine = await createEngine({ dataDir: join(root, 'data'), host: 'cli', loginShell: false, hosts: { sshConfig: sshd.clientConfig, userKnownHosts: false } });
  try {
    await engine.call('hosts.add', { name: 'bench', address: sshd.url });
    await engine.call('hosts.trust', { name: 'bench', fingerprint: sshd.hostKeyFingerprint });
    await engine.call('hosts.setRepoPath', { name: 'bench', repoPath: join(root, 'host-clone') });
    // The shared connection is made once, before anything is timed.
    await timedRun(engine, work, 'true', 'bench');
    await timedRun(engine, work, 'true', 'bench', true);

    const local: number[] = [];
    const remote: number[] = [];
    const bare: number[] = [];
    const worktree: number[] = [];
    // The floor: OpenSSH alone running `true` over the same shared connection, with a pty as the step gets.
    const sshArgs = [...clientOptions({ folder: join(root, 'data', 'ssh'), configFile: sshd.clientConfig, userKnownHosts: false }), '-tt', '-p', String(sshd.port), `${sshd.user}@127.0.0.1`, 'true'];
    for (let i = 0; i < reps; i++) {
      local.push(await timedRun(engine, work, 'true', undefined));
      remote.push(await timedRun(engine, work, 'true', 'bench'));
      worktree.push(await timedRun(engine, work, 'true', 'bench', true));
      bare.push((await timeProcess('script', ['-qec', ['ssh', ...sshArgs].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' '), '/dev/null'], { cwd: work })).ms);
    }
    const flood = `head -c ${Math.round((megabytes * 1e6 * 3) / 4)} /dev/urandom | base64 -w 100`;
    const localFlood: number[] = [];
    const remoteFlood: number[] = [];
    for (let i = 0; i < Math.max(3, Math.ceil(reps / 3)); i++) {
      localFlood.push(await timedRun(engine, work, flood, undefined));
      remoteFlood.push(await timedRun(engine, work, flood, 'bench'));
    }
    const sessions = await countSessions(root, sshd, work);
    const rate = (ms: number) => (megabytes / (ms / 1000)).toFixed(1);
    const [l, r, lf, rf] = [median(local), median(remote), median(localFlood), median(remoteFlood)];
    process.stdout.write(
      [
        `load ${loadavg()[0]!.toFixed(1)}; ${reps} runs each, interleaved`,
        `one-step run of \`true\`: local ${l.toFixed(1)} ms, remote over the shared connection ${r.toFixed(1)} ms (median; remote adds ${(r - l).toFixed(1)} ms, ${(r / l).toFixed(2)}x)`,
        `  floor: \`ssh -tt host true\` alone over the same connection, in a pty (script(1)): ${median(bare).toFixed(1)} ms`,
        `  in a worktree of the host's clone (workspace): ${median(worktree).toFixed(1)} ms (median)`,
        'ssh processes per run (one run each, an engine whose ssh logs; not timed; at: ms after runs.start):',
        ...sessions,
        `output of ${megabytes} MB: local ${rate(lf)} MB/s, remote ${rate(rf)} MB/s (median; remote at ${((lf / rf) * 100).toFixed(0)} % of local)`,
        '',
      ].join('\n'),
    );
  } finally {
    await engine.close();
    await sshd.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
