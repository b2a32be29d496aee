/**
 * Finding the AI tools: on the user's login-shell PATH (a desktop app started from a dock or menu
 * does not inherit it: nvm, Homebrew and ~/.local/bin live there), with their version and the flags
 * their help lists, so a missing or outdated tool is reported before a step fails on it.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { WorkflowStep } from '../../../shared/workflow.js';
import type { ToolDetection } from '../../../shared/tools.js';
import { isAiToolAdapter, type AiToolAdapter, type ToolAdapter } from './tool-adapter.js';
import { userShell } from './shell.js';
import { stripAnsi } from './terminal-text.js';
import { acpFlagsUnlisted, detectAcp } from './acp.js';

export type { ToolDetection } from '../../../shared/tools.js';

export interface DetectorOptions {
  /** The environment to search and run `--version` with; the engine's own by default. */
  env?: Record<string, string | undefined>;
  /** Ask the user's login shell for its PATH (default: yes, except on Windows). */
  loginShell?: boolean;
  /** The shell to ask; the user's shell (`$SHELL`, else the one on record) by default. */
  shell?: string;
  shellTimeoutMs?: number;
  /** Limit for `--version` and `--help` (Gemini CLI takes seconds to start). */
  commandTimeoutMs?: number;
  /** Check the adapter's flags against the tool's `--help` (default: yes). */
  checkHelp?: boolean;
}

const marker = '__PHOTON_PATH__';

export class ToolDetector {
  private searchPath: Promise<string> | undefined;

  constructor(private readonly options: DetectorOptions = {}) {}

  /** Forget the login shell's PATH: the next detection asks again. */
  reset(): void {
    this.searchPath = undefined;
  }

  private get env(): Record<string, string | undefined> {
    return this.options.env ?? process.env;
  }

  /** The login shell's PATH followed by the engine's own, without repeats. */
  resolveSearchPath(): Promise<string> {
    this.searchPath ??= this.loadSearchPath();
    return this.searchPath;
  }

  private async loadSearchPath(): Promise<string> {
    const own = this.env.PATH ?? this.env.Path ?? '';
    const useShell = this.options.loginShell ?? process.platform !== 'win32';
    // An empty $SHELL says "no login shell" (the tests' way to count only the PATH given); an unset
    // one, as an app started by a launcher has it, means the user's login shell on record.
    const shell = this.options.shell ?? (this.env.SHELL !== undefined ? this.env.SHELL : userShell(this.env).file);
    const fromShell = useShell && shell ? await loginShellPath(shell, this.env, this.options.shellTimeoutMs ?? 5000) : undefined;
    const folders = [...(fromShell ?? '').split(delimiter), ...own.split(delimiter)].filter((folder) => folder !== '');
    return [...new Set(folders)].join(delimiter);
  }

  async detect(adapter: ToolAdapter): Promise<ToolDetection> {
    const checkedAt = new Date().toISOString();
    if (!isAiToolAdapter(adapter)) return shellDetection(adapter, checkedAt);

    const searchPath = await this.resolveSearchPath();
    const base: ToolDetection = {
      platform: adapter.platform,
      label: adapter.label,
      installed: false,
      path: null,
      binary: null,
      version: null,
      minimumVersion: adapter.minimumVersion,
      tooOld: false,
      supports: adapter.supports,
      searchPath,
      checkedAt,
    };
    const acp = detectAcp(adapter.platform, searchPath, this.env);
    if (acp) base.acp = acp;
    const found = findExecutable(adapter.binaries, searchPath, this.env);
    if (!found) {
      const names = adapter.binaries.map((name) => `"${name}"`).join(' or ');
      return { ...base, error: `${adapter.label} is not installed: no ${names} on the login shell's PATH (${searchPath.split(delimiter).length} folders searched)` };
    }

    const env = { ...definedOnly(this.env), PATH: searchPath };
    const timeoutMs = this.options.commandTimeoutMs ?? 20_000;
    const [versionRun, helpRun] = await Promise.all([
      runCapture(found.path, [...adapter.versionArgs], env, timeoutMs),
      this.options.checkHelp === false ? Promise.resolve(undefined) : runCapture(found.path, [...adapter.helpArgs], env, timeoutMs),
    ]);
    const detection: ToolDetection = { ...base, installed: true, path: found.path, binary: found.name };

    const notes = adapter.detectionNotes?.(this.env);
    if (notes?.length) detection.notes = notes;
    const version = extractVersion(versionRun.output);
    const command = [found.name, ...adapter.versionArgs].join(' ');
    if (!version && versionRun.timedOut) {
      // Slow is not broken: the steps run, and the next lookup asks again instead of remembering this.
      return {
        ...detection,
        versionTimedOut: true,
        error: `${adapter.label} at ${found.path} did not answer "${command}" within ${timeoutMs} ms (a busy machine, or a slow start): its steps run anyway, and Photon asks again next time`,
      };
    }
    if (!version) {
      const why = versionRun.spawnError ?? `it printed "${firstLine(versionRun.output)}"`;
      return { ...detection, error: `could not read the version of ${adapter.label} at ${found.path} ("${command}": ${why})` };
    }
    detection.version = version;
    if (compareVersions(version, adapter.minimumVersion) < 0) {
      return { ...detection, tooOld: true, error: `${adapter.label} ${version} at ${found.path} is too old: Photon needs ${adapter.minimumVersion} or newer; update it` };
    }

    if (helpRun && helpRun.output.trim() !== '' && !helpRun.timedOut) {
      const missing = missingFlags(adapter, helpRun.output);
      if (missing.length > 0) {
        detection.missingFlags = missing;
        detection.error = `${adapter.label} ${version} at ${found.path} does not list ${missing.join(', ')} in "${[found.name, ...adapter.helpArgs].join(' ')}": update it, or expect its steps to fail`;
      }
      // A tool that speaks ACP itself (gemini --acp) does so from some version on: its help must list the flag.
      const unlisted = detection.acp?.available && detection.acp.path === found.path ? acpFlagsUnlisted(adapter.platform, stripAnsi(helpRun.output)) : [];
      if (detection.acp && unlisted.length > 0) {
        detection.acp = { ...detection.acp, available: false, error: `${adapter.label} ${version} does not list ${unlisted.join(', ')} in "${[found.name, ...adapter.helpArgs].join(' ')}": update it to run its steps as sessions` };
      }
    }
    return detection;
  }
}

function shellDetection(adapter: ToolAdapter, checkedAt: string): ToolDetection {
  return {
    platform: adapter.platform,
    label: adapter.platform === 'shell' ? 'Shell' : adapter.platform,
    installed: true,
    path: adapter.platform === 'shell' ? userShell().file : null,
    binary: null,
    version: null,
    minimumVersion: null,
    tooOld: false,
    supports: { json: false, resume: false, cost: false, tokens: false, autonomyModes: [] },
    checkedAt,
  };
}

/**
 * The PATH an interactive login shell ends up with. Interactive as well as login, as VS Code does:
 * zsh reads ~/.zshrc (where nvm's installer writes) only when interactive. Markers fence the value
 * from whatever the profile prints; a shell that fails or hangs falls back to a plain login shell.
 */
export async function loginShellPath(shell: string, env: Record<string, string | undefined>, timeoutMs: number): Promise<string | undefined> {
  // Separate arguments, not "${PATH}": that syntax is not fish's, and "$PATH__X" would read one long name.
  const script = `printf '%s%s%s' ${marker} "$PATH" ${marker}`;
  for (const flags of ['-ilc', '-lc']) {
    const run = await runCapture(shell, [flags, script], { ...definedOnly(env), PHOTON_RESOLVING_SHELL_ENV: '1' }, timeoutMs, true);
    const match = new RegExp(`${marker}([^]*?)${marker}`).exec(run.stdout);
    if (match && match[1]!.trim() !== '') return match[1]!.trim();
  }
  return undefined;
}

export interface FoundExecutable {
  name: string;
  path: string;
}

/** The first of `names` that is an executable file in a folder of `searchPath`. */
export function findExecutable(names: readonly string[], searchPath: string, env: Record<string, string | undefined> = process.env): FoundExecutable | undefined {
  const folders = searchPath.split(delimiter).filter((folder) => folder !== '');
  const extensions = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').map((ext) => ext.toLowerCase())] : [''];
  for (const name of names) {
    for (const folder of folders) {
      for (const extension of extensions) {
        const candidate = join(folder, name + extension);
        if (isExecutableFile(candidate)) return { name, path: candidate };
      }
    }
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

interface CaptureResult {
  /** stdout and stderr in arrival order, as a terminal would show them. */
  output: string;
  stdout: string;
  exitCode: number | null;
  timedOut: boolean;
  spawnError?: string;
}

/** How long a timed-out command's group has to run its exit traps before it is killed outright. */
const killGraceMs = 1000;

/** Runs a short command with no input and a time limit; ends its whole group when the limit passes. */
export function runCapture(file: string, args: string[], env: Record<string, string>, timeoutMs: number, ownGroup = process.platform !== 'win32'): Promise<CaptureResult> {
  return new Promise((resolve) => {
    let output = '';
    let stdout = '';
    let timedOut = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (result: Omit<CaptureResult, 'output' | 'stdout' | 'timedOut'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      resolve({ output, stdout, timedOut, ...result });
    };
    let child: ReturnType<typeof spawn>;
    try {
      // Its own process group (detached), so an interactive shell cannot take over a terminal and a
      // hung tool can be killed with everything it started.
      child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: ownGroup, windowsHide: true });
    } catch (error) {
      resolve({ output: '', stdout: '', exitCode: null, timedOut: false, spawnError: error instanceof Error ? error.message : String(error) });
      return;
    }
    const signal = (name: NodeJS.Signals) => {
      try {
        if (ownGroup && child.pid) process.kill(-child.pid, name);
        else child.kill(name);
      } catch {
        // Already gone.
      }
    };
    // SIGTERM first: a login shell's profile may be holding a lock of its own that only its exit
    // trap removes (pyenv's rehash lock: killed outright, it stays, and every shell the user opens
    // afterwards waits 60 s for it). An interactive shell ignores SIGTERM, so SIGKILL follows.
    const timer = setTimeout(() => {
      timedOut = true;
      signal('SIGTERM');
      killTimer = setTimeout(() => signal('SIGKILL'), killGraceMs);
    }, timeoutMs);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('error', (error) => finish({ exitCode: null, spawnError: error.message }));
    child.on('close', (code) => finish({ exitCode: code }));
  });
}

const versionPattern = /(?<![\w.])v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][0-9A-Za-z.-]+)?/;

/** The first version number in a tool's `--version` text: `2.1.3 (Claude Code)`, `codex-cli 0.46.0`, `aider v0.86.1`. */
export function extractVersion(text: string): string | undefined {
  const match = versionPattern.exec(stripAnsi(text));
  return match ? match[0].replace(/^v/, '') : undefined;
}

/** Numeric comparison of major.minor.patch (`2025.09.18-7ae6800` reads as 2025.9.18). */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) => {
    const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
    return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : [0, 0, 0];
  };
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

const samplePrompt = 'PHOTON_SAMPLE_PROMPT';
const sampleModel = 'PHOTON_SAMPLE_MODEL';

/**
 * Every flag an adapter can pass, and the fixed values it gives them (`stream-json`, a sandbox mode),
 * found by building its argv in each autonomy mode, with a model: the list the tool's help must show.
 */
export function flagsPassed(adapter: AiToolAdapter): { flags: string[]; values: string[] } {
  const flags = new Set<string>();
  const values = new Set<string>();
  const step = { step: 1, platform: adapter.platform, inputs: { prompt: samplePrompt }, dependencies: [], continueOnFailure: false } as WorkflowStep;
  for (const autonomy of adapter.supports.autonomyModes) {
    const { args } = adapter.invocation(step, step.inputs, { binaryPath: '/sample/tool', model: sampleModel, autonomy, env: { ZAI_API_KEY: 'sample' } });
    let previous: string | undefined;
    for (const arg of args) {
      if (arg.startsWith('-')) flags.add(arg.split('=')[0]!);
      else if (previous?.startsWith('-') && arg !== samplePrompt && arg !== sampleModel) values.add(arg);
      previous = arg;
    }
  }
  return { flags: [...flags], values: [...values] };
}

/** Flags and values of `flagsPassed` that a help text does not mention. */
export function missingFlags(adapter: AiToolAdapter, helpText: string): string[] {
  const help = stripAnsi(helpText);
  const { flags, values } = flagsPassed(adapter);
  const listed = (flag: string) => new RegExp(`(^|[\\s,\\[(|])${escapeRegExp(flag)}(?=$|[\\s,=\\])|<.])`, 'm').test(help);
  // Go's flag package lists `--name` as `-name`.
  const missing = flags.filter((flag) => !listed(flag) && !(flag.startsWith('--') && listed(flag.slice(1))));
  // A value may be listed as a choice, or (clap) as "workspace-write" in a possible-values line.
  missing.push(...values.filter((value) => !help.includes(value)).map((value) => `"${value}"`));
  return missing;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function firstLine(text: string): string {
  const line = stripAnsi(text).split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) result[key] = value;
  return result;
}
