/**
 * `npm run test:real-clis`: installs the real AI CLIs and ACP adapters (pinned versions, or the newest with --latest)
 * while the network is there, then runs test/real-clis inside a network namespace that has only
 * loopback, so no CLI can reach a real model API or anything else off this machine.
 *
 *   --slow    the fault cases where a CLI retries by itself for minutes (test/real-clis/*.slow.test.ts)
 *   --latest  the newest version of each CLI, and the flag check of test/engine/tools against them
 * Other arguments go to vitest (e.g. -t "codex").
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureRealClis, repoRoot, type CliSetup, type InstalledCli, type PackageName } from '../test/real-clis/install.js';

const args = process.argv.slice(2);
const slow = args.includes('--slow');
const latest = args.includes('--latest') || process.env.PHOTON_REAL_CLIS === 'latest';
const vitestArgs = args.filter((arg) => arg !== '--slow' && arg !== '--latest');
const required = process.env.PHOTON_REQUIRE_REAL_CLIS === '1';

/** Why this machine cannot run the suite in its own network namespace, or undefined when it can. */
function namespaceProblem(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces are Linux only (this is ${process.platform})`;
  if (spawnSync('sh', ['-c', 'command -v unshare && command -v ip'], { stdio: 'ignore' }).status !== 0) return 'unshare or ip is not installed (util-linux, iproute2)';
  const probe = spawnSync('unshare', [...unshareArgs(), 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
  if (probe.status !== 0) return `unshare --net failed: ${(probe.stderr || probe.error?.message || `exit ${probe.status}`).trim()}`;
  return undefined;
}

/** As root a plain network namespace; otherwise one inside a user namespace, where that is allowed. */
function unshareArgs(): string[] {
  return process.getuid?.() === 0 ? ['--net'] : ['--net', '--map-root-user'];
}

/** The CLIs and the adapters that can run here. */
function readyPackages(setup: CliSetup & { ready: true }): InstalledCli<PackageName>[] {
  return [...Object.values(setup.clis), ...Object.values(setup.adapters).flatMap((adapter) => (adapter.ready ? [adapter] : []))];
}

function run(command: string, commandArgs: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(command, commandArgs, { stdio: 'inherit', env, cwd: repoRoot });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<number> {
  const started = Date.now();
  if (latest) process.env.PHOTON_REAL_CLIS = 'latest';
  const setup = await ensureRealClis();
  if (!setup.ready) {
    console.error(`test:real-clis: the real CLIs could not be installed: ${setup.reason}`);
    if (required) return 1;
    console.error('test:real-clis: the tests will skip (PHOTON_REQUIRE_REAL_CLIS=1 makes this a failure).');
  } else {
    const versions = readyPackages(setup).map((cli) => `${cli.pkg}@${cli.version}`).join(', ');
    console.info(setup.installed.length > 0 ? `test:real-clis: installed ${setup.installed.join(', ')} in ${(setup.installMs / 1000).toFixed(1)} s` : `test:real-clis: cached ${versions}`);
    for (const adapter of Object.values(setup.adapters)) if (!adapter.ready) console.error(`test:real-clis: an ACP adapter cannot run here, its tests will ${required ? 'fail' : 'skip'}: ${adapter.reason}`);
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (setup.ready) env.PHOTON_REAL_CLIS_VERSIONS = JSON.stringify(Object.fromEntries(readyPackages(setup).map((cli) => [cli.bin, cli.version])));
  if (slow) env.PHOTON_REAL_CLIS_SLOW = '1';

  const runTests = [process.execPath, join(repoRoot, 'scripts', 'run-tests.js')];
  let code = 0;
  if (latest && setup.ready) {
    // The flag check runs where the registry is reachable; it only reads --help.
    code = await run(runTests[0]!, [runTests[1]!, 'test/engine/tools/real-cli-flags.test.ts'], env);
  }

  const problem = namespaceProblem();
  const suite = [...runTests, '--config', 'vitest.real-clis.config.ts', ...vitestArgs];
  if (problem) {
    console.warn(`test:real-clis: running without network isolation: ${problem}`);
    env.PHOTON_REAL_CLIS_NETNS_REASON = problem;
    code = (await run(suite[0]!, suite.slice(1), env)) || code;
  } else {
    env.PHOTON_REAL_CLIS_NETNS = '1';
    // Arguments reach the inner shell as "$@", never inside its script.
    code = (await run('unshare', [...unshareArgs(), 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...suite], env)) || code;
  }
  console.info(`test:real-clis: ${code === 0 ? 'passed' : 'failed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

process.exitCode = await main();
