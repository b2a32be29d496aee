/**
 * Worktrees for interactive terminals ("Open <tool> here" and "New terminal" in a new worktree):
 * the isolation a run's step gets, for a session the user drives. Each is a worktree on its own
 * branch `photon/term-<id>` under DATA_DIR/worktrees/.terminals, recorded beside it in
 * `<id>.json` (there is no run to record it). Closing the terminal keeps it, since the user's work
 * is there; `photon workspaces` lists it and prune removes it (never while its terminal is open).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { PhotonError } from '../../../shared/errors.js';
import type { RemovedWorkspaces, TerminalWorktreeUsage } from '../../../shared/workspace-review.js';
import { diskUsage } from './cleanup.js';
import { retryWorktreeRace, type Git } from './git.js';
import { branchPrefix } from './names.js';
import type { PortBlocks } from './ports.js';
import { resolveWorkspace } from './resolve.js';
import { removeWorktree } from './worktree.js';

interface TerminalWorktreeRecord {
  id: string;
  repo: string;
  path: string;
  branch: string;
  baseCommit: string;
  createdAt: string;
  /**
   * The engine process whose terminal is open in it, null once closed: `photon workspaces prune`
   * runs in an engine of its own and must leave a terminal the app has open.
   */
  openIn: number | null;
}

/** A terminal's new worktree, ready for its process. */
export interface OpenedTerminalWorktree {
  /** Where the terminal starts: the folder asked for, at the same place inside the worktree. */
  cwd: string;
  branch: string;
  /** PHOTON_WORKTREE, PHOTON_BRANCH, PHOTON_PORT_BASE, as a run's step gets them. */
  env: Record<string, string>;
  /** The terminal ended: its port block is free, the worktree stays. */
  closed(): void;
  /** The terminal could not start: the worktree and its branch go. */
  abandon(): Promise<void>;
}

export function terminalWorktreesFolder(dataDir: string): string {
  return join(dataDir, 'worktrees', '.terminals');
}

export class TerminalWorktrees {
  /** Ids whose terminal is still open: prune leaves them. */
  private readonly open = new Set<string>();

  constructor(
    private readonly git: Git,
    private readonly dataDir: string,
    private readonly ports: PortBlocks,
  ) {}

  /** Makes a worktree and branch of the repository `folder` is in, from `base` (default its current branch). */
  async make(folder: string, base: string | undefined): Promise<OpenedTerminalWorktree> {
    let resolved;
    try {
      resolved = await resolveWorkspace(this.git, { config: undefined, override: { isolation: 'worktree', repo: folder, base }, baseDir: folder });
    } catch (error) {
      if (error instanceof PhotonError) throw new PhotonError(error.code, error.message.replace(/^workspace\.(repo|base)/, 'terminals.create worktree.$1'), error.details);
      throw error;
    }
    const { repo, baseCommit } = resolved!;
    const id = randomBytes(4).toString('hex');
    const record: TerminalWorktreeRecord = { id, repo, path: join(terminalWorktreesFolder(this.dataDir), id), branch: `${branchPrefix}term-${id}`, baseCommit, createdAt: new Date().toISOString(), openIn: process.pid };
    await mkdir(terminalWorktreesFolder(this.dataDir), { recursive: true, mode: 0o700 });
    await retryWorktreeRace(async (retried) => {
      if (retried) await this.removeTree(record);
      await this.git.run(['worktree', 'add', '--quiet', '-b', record.branch, record.path, baseCommit], { cwd: repo });
    });
    await writeFile(this.recordPath(id), JSON.stringify(record, null, 2), { mode: 0o600 });
    this.open.add(id);
    let portBase: number;
    try {
      portBase = await this.ports.take();
    } catch (error) {
      await this.remove(record);
      throw error;
    }
    // The same place inside the worktree as the folder asked for inside the repository, when it is tracked there.
    const inside = relative(repo, await realpath(folder));
    const there = join(record.path, inside);
    const cwd = inside && !inside.startsWith('..') && isFolder(there) ? there : record.path;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.ports.release(portBase);
      this.open.delete(id);
      void writeFile(this.recordPath(id), JSON.stringify({ ...record, openIn: null }, null, 2), { mode: 0o600 }).catch(() => undefined);
    };
    return {
      cwd,
      branch: record.branch,
      env: { PHOTON_WORKTREE: record.path, PHOTON_BRANCH: record.branch, PHOTON_PORT_BASE: String(portBase) },
      closed: release,
      abandon: async () => {
        release();
        await this.remove(record);
      },
    };
  }

  /** The terminals' worktrees still on disk, for `photon workspaces`. */
  async usage(): Promise<TerminalWorktreeUsage[]> {
    const list: TerminalWorktreeUsage[] = [];
    for (const record of await this.records()) {
      if (!existsSync(record.path)) continue;
      list.push({ id: record.id, repo: record.repo, branch: record.branch, path: record.path, bytes: await diskUsage(record.path), open: this.isOpen(record), createdAt: record.createdAt });
    }
    return list;
  }

  /**
   * Removes the worktrees of closed terminals. A branch the user committed on (it moved from where
   * Photon made it) is kept and said, like a run's: deleting it would lose their commits.
   */
  async prune(): Promise<RemovedWorkspaces> {
    const removed: RemovedWorkspaces = { worktrees: [], branches: [], kept: [] };
    for (const record of await this.records()) {
      if (this.isOpen(record)) continue;
      const outcome = await this.remove(record);
      if (outcome.worktree) removed.worktrees.push(record.path);
      if (outcome.branch === 'deleted') removed.branches.push(record.branch);
      else if (outcome.branch) removed.kept.push({ branch: record.branch, reason: outcome.branch });
    }
    return removed;
  }

  private async remove(record: TerminalWorktreeRecord): Promise<{ worktree: boolean; branch: string | null }> {
    const worktree = existsSync(record.path);
    await this.removeTree(record);
    let branch: string | null = null;
    if (existsSync(record.repo)) {
      const tip = await this.git.run(['rev-parse', '--verify', '--quiet', `refs/heads/${record.branch}`], { cwd: record.repo, okCodes: [1, 128] });
      const commit = tip.stdout.trim();
      if (tip.code === 0 && commit !== record.baseCommit) {
        branch = `you committed on it (now at ${commit.slice(0, 12)}); delete it yourself when you no longer need it (\`git branch -D ${record.branch}\`)`;
      } else if (tip.code === 0) {
        const deleted = await this.git.run(['update-ref', '-d', `refs/heads/${record.branch}`, commit], { cwd: record.repo, okCodes: [1, 128] });
        branch = deleted.code === 0 ? 'deleted' : `git could not delete it (${deleted.stderr.trim()})`;
      }
    }
    await rm(this.recordPath(record.id), { force: true });
    return { worktree, branch };
  }

  private async removeTree(record: TerminalWorktreeRecord): Promise<void> {
    if (existsSync(record.repo)) await removeWorktree(this.git, record.repo, record.path);
    else await rm(record.path, { recursive: true, force: true });
  }

  private isOpen(record: TerminalWorktreeRecord): boolean {
    if (this.open.has(record.id)) return true;
    if (record.openIn === null || record.openIn === process.pid) return false;
    try {
      process.kill(record.openIn, 0);
      return true;
    } catch (error) {
      // EPERM: alive, someone else's; ESRCH: the engine that had it open is gone.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  private recordPath(id: string): string {
    return join(terminalWorktreesFolder(this.dataDir), `${id}.json`);
  }

  private async records(): Promise<TerminalWorktreeRecord[]> {
    const folder = terminalWorktreesFolder(this.dataDir);
    const names = existsSync(folder) ? (await readdir(folder)).filter((name) => name.endsWith('.json')) : [];
    const list: TerminalWorktreeRecord[] = [];
    for (const name of names) {
      try {
        list.push(JSON.parse(await readFile(join(folder, name), 'utf8')) as TerminalWorktreeRecord);
      } catch {
        // A record cut short (the engine stopped while writing it) names nothing that can be removed safely.
      }
    }
    return list;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
