/**
 * Worktrees made ahead of time, so a step's workspace costs a rename and a checkout of what
 * differs instead of writing every file of the repository (issue 15's goal: within 1.2x of a plain
 * `git worktree add`, and under a second, in a repository of 10,000 files). Each repository used
 * with isolation keeps a few detached worktrees, on no branch, under DATA_DIR/worktrees/.pool;
 * they are refilled in the background after one is taken, and outlive the engine for the next run.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isWorktreeRace, retryWorktreeRace, type Git } from './git.js';
import { removeWorktree } from './worktree.js';

/** Ready worktrees kept for each repository: enough for two steps that start together. */
export const poolSize = 2;

export function poolFolder(dataDir: string): string {
  return join(dataDir, 'worktrees', '.pool');
}

export class WorktreePool {
  private readonly filling = new Map<string, Promise<void>>();
  /** Folders being made, or taken and not yet moved: never handed out. */
  private readonly busy = new Set<string>();
  private closed = false;
  /** Prunes under way: while any is, no worktree is made or handed out. */
  private draining = 0;
  /** Stops a worktree being made when the engine closes: a host exits without waiting for a checkout. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly git: Git,
    private readonly folder: string,
    private readonly size = poolSize,
  ) {}

  /** Starts making worktrees of `repo` at `commit` until `size` are ready; returns at once. */
  fill(repo: string, commit: string): void {
    if (this.closed || this.draining > 0 || this.size <= 0 || this.filling.has(repo)) return;
    const work = (async () => {
      while (!this.closed && this.draining === 0 && (await this.ready(repo)).length < this.size) await this.make(repo, commit);
    })()
      .catch((error: unknown) => {
        if (!this.closed) console.error(`photon: could not make a worktree ahead of time for ${repo}: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => this.filling.delete(repo));
    this.filling.set(repo, work);
  }

  /**
   * Moves a ready worktree of `repo` to `path` and checks `branch` out there at `commit` (made or
   * reset). False when none is ready. A pooled worktree that git no longer knows is removed.
   */
  async take(repo: string, path: string, branch: string, commit: string): Promise<boolean> {
    if (this.size <= 0 || this.draining > 0) return false;
    for (const candidate of await this.ready(repo)) {
      if (this.busy.has(candidate)) continue;
      this.busy.add(candidate);
      try {
        await this.git.run(['worktree', 'move', candidate, path], { cwd: repo });
      } catch (error) {
        // Lost a race with another git reading worktrees: the candidate is fine, the caller makes a worktree instead.
        if (isWorktreeRace(error)) return false;
        await removeWorktree(this.git, repo, candidate).catch(() => undefined);
        continue;
      } finally {
        this.busy.delete(candidate);
      }
      // Forced: the tree becomes exactly the commit's, whatever the pooled one was at.
      await this.git.run(['checkout', '--quiet', '--force', '--no-track', '-B', branch, commit], { cwd: path });
      return true;
    }
    return false;
  }

  /** Resolves when no worktree is being made (the pool is as full as it gets for now). */
  async settled(): Promise<void> {
    while (this.filling.size > 0) await Promise.all(this.filling.values());
  }

  /**
   * Removes every ready worktree, of every repository, and git's record of it (prune: the user's
   * `git worktree list` no longer shows them). It waits for the ones being made, so none is added
   * behind it, and none is made or taken until it is done; the next run fills the pool again.
   */
  async drain(): Promise<string[]> {
    this.draining++;
    try {
      await this.settled();
      const removed: string[] = [];
      const repos = new Set<string>();
      for (const key of existsSync(this.folder) ? await readdir(this.folder) : []) {
        const repoFolder = join(this.folder, key);
        for (const name of await readdir(repoFolder).catch(() => [] as string[])) {
          const path = join(repoFolder, name);
          // The repository it belongs to, read from the worktree itself: the folder's name is only a hash.
          if (existsSync(join(path, '.git'))) {
            const common = await this.git.run(['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: path, okCodes: [128] });
            if (common.code === 0) repos.add(common.stdout.trim());
          }
          await rm(path, { recursive: true, force: true, maxRetries: 3 });
          removed.push(path);
        }
        await rmdir(repoFolder).catch(() => undefined);
      }
      // git forgets a worktree whose folder is gone; run in the repository's git folder, which works for a bare one too.
      for (const common of repos) if (existsSync(common)) await this.git.run(['worktree', 'prune'], { cwd: common });
      return removed;
    } finally {
      this.draining--;
    }
  }

  /** Stops the worktrees being made (git removes what it had made of them); no more are started. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopping.abort();
    await Promise.all(this.filling.values());
  }

  private repoFolder(repo: string): string {
    return join(this.folder, createHash('sha256').update(repo).digest('hex').slice(0, 16));
  }

  private async ready(repo: string): Promise<string[]> {
    const folder = this.repoFolder(repo);
    if (!existsSync(folder)) return [];
    return (await readdir(folder)).map((name) => join(folder, name)).filter((path) => !this.busy.has(path));
  }

  private make(repo: string, commit: string): Promise<void> {
    return retryWorktreeRace(() => this.makeOnce(repo, commit));
  }

  private async makeOnce(repo: string, commit: string): Promise<void> {
    const folder = this.repoFolder(repo);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const path = join(folder, randomBytes(6).toString('hex'));
    this.busy.add(path);
    try {
      await this.git.run(['worktree', 'add', '--quiet', '--detach', path, commit], { cwd: repo, signal: this.stopping.signal });
    } catch (error) {
      await removeWorktree(this.git, repo, path).catch(() => undefined);
      throw error;
    } finally {
      this.busy.delete(path);
    }
  }
}
