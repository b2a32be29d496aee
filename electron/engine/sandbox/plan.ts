/**
 * What a sandboxed attempt may see and touch, decided once and platform-neutral: bubblewrap
 * (bwrap.ts) and sandbox-exec (seatbelt.ts) each turn the same plan into their own language.
 *
 * - writable: the step's folder (its worktree, or its working folder without one), the folders
 *   its `write` names, its attempt's temp folder, and its AI tool's own state folders;
 * - readable: the system (everything outside the hidden roots, read-only), the tool's install
 *   and the PATH entries under a hidden root, and the git folder the worktree belongs to;
 * - hidden: every home, Photon's data folder (its database, other runs' logs and worktrees), the
 *   user's runtime folder (D-Bus and keyring sockets), /mnt, /media, /srv;
 * - the user's home is replaced by a private one (copies of a few dotfiles, discarded with the
 *   attempt), so a tool that writes its caches there keeps working without reaching the real one.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { PhotonError } from '../../../shared/errors.js';
import { worktreeWrite, type Sandbox } from '../../../shared/sandbox.js';
import { copiedHomeFiles, toolStateFolders } from './tool-homes.js';

export interface FenceInput {
  sandbox: Sandbox;
  /** Where the sandbox was written, for error messages: `workflow[2].sandbox`, `agent "x" sandbox`. */
  place: string;
  platform: string;
  /** The process's working folder. */
  cwd: string;
  /** The step's worktree, or null: then its working folder is what "worktree" means. */
  worktree: string | null;
  /** The attempt's private temp folder (its TMPDIR), removed when the attempt ends. */
  attemptFolder: string;
  dataDir: string;
  /** The process's final environment. */
  env: Readonly<Record<string, string>>;
  /** The AI tool's detected executable. */
  toolPath?: string;
}

export interface FencePlan {
  network: boolean;
  cwd: string;
  /** The user's home as the process sees its path. */
  home: string;
  /** The folder shown at `home` inside the sandbox (Linux). */
  privateHome: string;
  writable: string[];
  readable: string[];
  /** Shown as empty, read-only folders. */
  hidden: string[];
  /** Shown as empty, writable folders private to the attempt. */
  scratch: string[];
  /** Credential folders and files hidden again wherever a bind above would show them. */
  secrets: string[];
  /** Variables that point at the keychain or an agent of keys. */
  unsetEnv: string[];
  /** What the step may write, as the user would name it: for messages. */
  writableShown: string[];
}

const hiddenSystemRoots = ['/home', '/root', '/run/user', '/mnt', '/media', '/srv'];
const scratchRoots = ['/tmp', '/var/tmp'];
const secretsInHome = ['.local/share/keyrings', '.ssh', '.gnupg', '.aws', '.kube', '.docker', '.password-store', '.config/gcloud', '.config/gh', '.netrc', '.git-credentials'];
const keychainVariables = ['DBUS_SESSION_BUS_ADDRESS', 'GNOME_KEYRING_CONTROL', 'SSH_AUTH_SOCK', 'GPG_AGENT_INFO', 'XDG_RUNTIME_DIR'];

export function fencePlan(input: FenceInput): FencePlan {
  const { env, sandbox, place } = input;
  const home = real(env.HOME || homedir());
  const folder = real(input.worktree ?? input.cwd);
  const runtime = env.XDG_RUNTIME_DIR ? [env.XDG_RUNTIME_DIR] : [];

  const writes = sandbox.write.map((entry, index) => writablePath(entry, `${place}.write[${index}]`, folder, home));
  const toolState = toolStateFolders(input.platform, env, home).filter((path) => existsSync(path));
  const writable = unique([...writes, real(input.attemptFolder), ...toolState.map(real)]);
  const hidden = unique([...hiddenSystemRoots, home, input.dataDir, ...runtime].filter((path) => existsSync(path)).map(real)).filter((path) => path !== '/');
  const veiled = [...hidden, ...scratchRoots];

  const readable = unique([...installFolders(input.toolPath), ...pathFolders(env.PATH), ...gitFolders(folder)])
    .filter((path) => veiled.some((root) => within(path, root)) && !writable.some((root) => within(path, root)));
  const exposed = [...writable, ...readable];
  const secrets = [...secretsInHome.map((name) => join(home, name)), ...runtime.map((dir) => join(dir, 'keyring'))].filter(
    (path) => existsSync(path) && exposed.some((root) => within(path, root)),
  );

  return {
    network: sandbox.network,
    cwd: real(input.cwd),
    home,
    privateHome: join(input.attemptFolder, 'home'),
    writable,
    readable,
    hidden,
    scratch: scratchRoots.filter((path) => existsSync(path)),
    secrets,
    unsetEnv: keychainVariables,
    writableShown: sandbox.write.map((entry, index) => (entry === worktreeWrite ? `the step's folder (${folder})` : writes[index]!)),
  };
}

/**
 * Folders the private home starts with, where programs keep caches and settings (the XDG base
 * folders): writable, and never made read-only as the parents of a folder shown inside them.
 */
export const privateHomeFolders = ['.config', '.cache', '.local', '.local/share', '.local/state'];

/** The private home's first contents: the XDG folders, and copies of the dotfiles tools and git read at the top of the home. */
export function preparePrivateHome(plan: FencePlan): void {
  mkdirSync(plan.privateHome, { recursive: true, mode: 0o700 });
  for (const folder of privateHomeFolders) mkdirSync(join(plan.privateHome, folder), { recursive: true });
  for (const name of copiedHomeFiles) {
    try {
      copyFileSync(join(plan.home, name), join(plan.privateHome, name));
    } catch {
      // Not there: the tool makes its own, inside the private home.
    }
  }
}

function writablePath(entry: string, place: string, folder: string, home: string): string {
  if (entry === worktreeWrite) return folder;
  const path = entry === '~' ? home : entry.startsWith('~/') ? join(home, entry.slice(2)) : isAbsolute(entry) ? entry : resolve(folder, entry);
  if (!existsSync(path)) throw new PhotonError('invalid', `${place}: "${entry}" (${path}) does not exist: create it, or remove it from the sandbox's "write" list`);
  const resolved = real(path);
  if (resolved === '/') throw new PhotonError('invalid', `${place}: "${entry}" would let the step write everywhere: name the folders it needs`);
  if (!statSync(resolved).isDirectory()) throw new PhotonError('invalid', `${place}: "${entry}" (${resolved}) is not a folder: name the folder that holds it`);
  return resolved;
}

/** The tool's own folder and, for an npm-style install (PREFIX/bin/tool -> PREFIX/lib/...), its prefix's lib. */
function installFolders(toolPath: string | undefined): string[] {
  if (!toolPath || !existsSync(toolPath)) return [];
  return [dirname(toolPath), dirname(real(toolPath)), ...libBeside(dirname(toolPath))];
}

/** PATH's folders, each with its sibling lib (nvm's node and npm live in PREFIX/bin and PREFIX/lib). */
function pathFolders(path: string | undefined): string[] {
  return (path ?? '')
    .split(':')
    .filter((dir) => isAbsolute(dir) && existsSync(dir))
    .flatMap((dir) => [real(dir), ...libBeside(real(dir))]);
}

function libBeside(bin: string): string[] {
  if (basename(bin) !== 'bin') return [];
  const lib = join(dirname(bin), 'lib');
  return existsSync(lib) ? [lib] : [];
}

/** The git folder the step's folder belongs to, so `git status` and `git diff` work (read-only: Photon makes the step's commit). */
function gitFolders(folder: string): string[] {
  for (let dir = folder; ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    if (existsSync(dotGit)) {
      if (statSync(dotGit).isDirectory()) return [real(dotGit)];
      const gitDir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
      if (!gitDir) return [];
      const admin = resolve(dir, gitDir);
      const common = existsSync(join(admin, 'commondir')) ? resolve(admin, readFileSync(join(admin, 'commondir'), 'utf8').trim()) : admin;
      return [admin, common].filter((path) => existsSync(path)).map(real);
    }
    if (dirname(dir) === dir) return [];
  }
}

export function within(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
