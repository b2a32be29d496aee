/**
 * The real AI CLIs that are npm packages, and the ACP adapters that drive Claude Code and Codex,
 * installed for tests into a cache under node_modules (never the project's dependencies). Each package version gets its own folder, so the pinned set and the
 * latest set live side by side and switching between them reinstalls nothing.
 *
 * Which set: PHOTON_REAL_CLIS=latest asks the registry for each package's newest version (to catch
 * vendor changes early); anything else uses `pinned`, the versions the suite was last seen passing with.
 * PHOTON_REAL_CLIS_VERSIONS (JSON, bin to version) names the set outright: the runner resolves
 * "latest" before it enters a network namespace where the registry cannot be asked.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const cacheDir = join(repoRoot, 'node_modules', '.cache', 'photon-real-clis');

export type CliName = 'claude' | 'codex' | 'gemini';

export const realClis: readonly { bin: CliName; pkg: string }[] = [
  { bin: 'claude', pkg: '@anthropic-ai/claude-code' },
  { bin: 'codex', pkg: '@openai/codex' },
  { bin: 'gemini', pkg: '@google/gemini-cli' },
];

/**
 * The ACP adapters Photon starts for a session with Claude Code or Codex. Each runs its vendor's
 * agent code (the Claude Agent SDK's bundled Claude Code; codex-acp's own Codex core, a native
 * binary from a per-platform optional dependency), not the CLI above.
 */
export type AdapterName = 'claude-agent-acp' | 'codex-acp';

export const acpAdapters: readonly { bin: AdapterName; pkg: string }[] = [
  { bin: 'claude-agent-acp', pkg: '@zed-industries/claude-agent-acp' },
  { bin: 'codex-acp', pkg: '@zed-industries/codex-acp' },
];

export type PackageName = CliName | AdapterName;
const allPackages: readonly { bin: PackageName; pkg: string }[] = [...realClis, ...acpAdapters];

/** Raise these after `npm run test:real-clis:latest` passed with newer versions. */
export const pinned: Readonly<Record<PackageName, string>> = {
  claude: '2.1.332',
  codex: '0.171.0',
  gemini: '0.61.0',
  'claude-agent-acp': '0.23.1',
  'codex-acp': '0.16.0',
};

export interface InstalledCli<Name extends PackageName = CliName> {
  bin: Name;
  pkg: string;
  version: string;
  /** Absolute path of the executable. */
  path: string;
}

/** An adapter ready to start, or why it cannot run here. */
export type AdapterSetup = ({ ready: true } & InstalledCli<AdapterName>) | { ready: false; reason: string };

/** The CLIs are ready together or not at all; each adapter on its own, so one missing adapter skips only its tests. */
export type CliSetup =
  | { ready: true; clis: Record<CliName, InstalledCli>; adapters: Record<AdapterName, AdapterSetup>; installMs: number; installed: string[] }
  | { ready: false; reason: string };

export function wantsLatest(): boolean {
  return process.env.PHOTON_REAL_CLIS === 'latest';
}

/** npm without retries: offline, the registry's answer is a quick failure, not minutes of backoff. */
const npmFlags = ['--no-audit', '--no-fund', '--fetch-retries=0', '--fetch-timeout=30000'];

export function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ code: number | null; stdout: string; output: string }> {
  return new Promise((done) => {
    execFile(file, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      done({ code, stdout, output: `${stdout}${stderr}` });
    });
  });
}

function folderOf(pkg: string, version: string): string {
  return join(cacheDir, `${pkg.replace(/^@/, '').replace(/\//g, '+')}@${version}`);
}

function installedCli<Name extends PackageName>(bin: Name, pkg: string, version: string): InstalledCli<Name> | undefined {
  const folder = folderOf(pkg, version);
  const manifest = join(folder, 'node_modules', pkg, 'package.json');
  const path = join(folder, 'node_modules', '.bin', bin);
  if (!existsSync(manifest) || !existsSync(path)) return undefined;
  if ((JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version !== version) return undefined;
  return { bin, pkg, version, path };
}

/**
 * Why an installed package cannot run on this machine, if it cannot: codex-acp's npm package is a
 * wrapper whose native binary comes from an optional dependency per platform, which npm skips
 * (successfully) where none is published.
 */
function cannotRunHere(installed: InstalledCli<PackageName>): string | undefined {
  if (installed.bin !== 'codex-acp') return undefined;
  const native = `${installed.pkg}-${process.platform}-${process.arch}`;
  const binary = join(folderOf(installed.pkg, installed.version), 'node_modules', native, 'bin', process.platform === 'win32' ? 'codex-acp.exe' : 'codex-acp');
  if (existsSync(binary)) return undefined;
  const folder = folderOf(installed.pkg, installed.version);
  return `${installed.pkg}@${installed.version} has no native binary for ${process.platform}-${process.arch}: npm skipped its optional dependency ${native} (none is published for this platform, or its download failed; remove ${folder} to try again)`;
}

/** The lines of npm's error output that say what went wrong (not its boilerplate about logs). */
export function npmProblem(output: string): string {
  const lines = output.split('\n').map((line) => line.trim());
  const telling = lines.filter((line) => /npm error (code |errno |request to |network |.*E[A-Z]{3,})/.test(line) && !/complete log/.test(line));
  return (telling.length ? telling.slice(0, 2) : lines.filter((line) => line !== '').slice(-2)).join(' ');
}

async function latestVersions(): Promise<Record<PackageName, string> | string> {
  const versions = {} as Record<PackageName, string>;
  const problems: string[] = [];
  await Promise.all(
    allPackages.map(async ({ bin, pkg }) => {
      const view = await run('npm', ['view', pkg, 'version', ...npmFlags], { timeoutMs: 60_000 });
      const version = view.stdout.trim().split('\n').pop()?.trim() ?? '';
      if (view.code === 0 && /^\d+\.\d+\.\d+/.test(version)) versions[bin] = version;
      else problems.push(`${pkg}: ${npmProblem(view.output) || `npm view exited with ${view.code}`}`);
    }),
  );
  return problems.length > 0 ? `npm registry not reachable (npm view failed: ${problems.join('; ')})` : versions;
}

/**
 * Makes sure each CLI and adapter of the chosen set is in the cache, installing what is missing
 * (each package into its own folder, in parallel). Never throws: a machine without the registry
 * gets the reason.
 */
export async function ensureRealClis(): Promise<CliSetup> {
  let versions: Record<PackageName, string> = { ...pinned };
  if (process.env.PHOTON_REAL_CLIS_VERSIONS) {
    versions = { ...pinned, ...(JSON.parse(process.env.PHOTON_REAL_CLIS_VERSIONS) as Partial<Record<PackageName, string>>) };
  } else if (wantsLatest()) {
    const latest = await latestVersions();
    if (typeof latest === 'string') return { ready: false, reason: latest };
    versions = latest;
  }
  const started = Date.now();
  const installed: string[] = [];
  const problems: string[] = [];
  const clis = {} as Record<CliName, InstalledCli>;
  const adapters = {} as Record<AdapterName, AdapterSetup>;
  const ensure = async <Name extends PackageName>(bin: Name, pkg: string): Promise<InstalledCli<Name> | string> => {
    const version = versions[bin];
    const cached = installedCli(bin, pkg, version);
    if (cached) return cached;
    const problem = await install(pkg, version);
    const fresh = problem ? undefined : installedCli(bin, pkg, version);
    if (!fresh) return problem ?? `${pkg}@${version} installed without its "${bin}" executable`;
    installed.push(`${pkg}@${version}`);
    return fresh;
  };
  await Promise.all([
    ...realClis.map(async ({ bin, pkg }) => {
      const found = await ensure(bin, pkg);
      if (typeof found === 'string') problems.push(found);
      else clis[bin] = found;
    }),
    ...acpAdapters.map(async ({ bin, pkg }) => {
      const found = await ensure(bin, pkg);
      const reason = typeof found === 'string' ? found : cannotRunHere(found);
      adapters[bin] = reason !== undefined || typeof found === 'string' ? { ready: false, reason: reason ?? 'not installed' } : { ready: true, ...found };
    }),
  ]);
  if (problems.length > 0) return { ready: false, reason: problems.join('; ') };
  return { ready: true, clis, adapters, installMs: Date.now() - started, installed };
}

/** Installs into a staging folder renamed into place, so an interrupted install never looks complete. */
async function install(pkg: string, version: string): Promise<string | undefined> {
  const folder = folderOf(pkg, version);
  const staging = `${folder}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), '{ "private": true, "description": "a real AI CLI for Photon\'s tests (test/real-clis/install.ts)" }\n');
  const result = await run('npm', ['install', '--prefix', staging, '--no-save', '--no-package-lock', ...npmFlags, `${pkg}@${version}`], { timeoutMs: 540_000 });
  if (result.code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    return `npm install ${pkg}@${version} failed (exit ${result.code}): ${npmProblem(result.output)}`;
  }
  rmSync(folder, { recursive: true, force: true });
  renameSync(staging, folder);
  return undefined;
}
