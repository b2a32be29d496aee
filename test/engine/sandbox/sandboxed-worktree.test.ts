/**
 * A sandboxed step in its own git worktree (workspace isolation), with real bubblewrap and real
 * git: it edits its worktree and reads its history, Photon commits its work on its branch, and the
 * user's own checkout is out of its reach.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellStep, stepOf, useSandbox } from '../helpers.js';
import { git } from '../workspaces/git-repo.js';
import { isolatedRun, sandboxRepo } from '../workspaces/ws-run.js';
import { bwrapAvailable } from './sandbox-setup.js';

describe.skipIf(!bwrapAvailable)('a sandboxed step in a worktree (bubblewrap, git)', () => {
  const sandbox = useSandbox('sandbox-worktree');

  it("edits its worktree and runs git there; the user's checkout is hidden and read-only, and the output says so", async () => {
    const repo = sandboxRepo(sandbox);
    const command = [
      `sed -i 's/^line 1$/line 1 fenced/' notes.txt`,
      'git status --short',
      'git log --format=%s -1',
      `cat '${join(repo, 'keep.txt')}'`,
      `echo tampered >> '${join(repo, 'keep.txt')}'`,
      'echo done',
    ].join('; ');
    const detail = await isolatedRun(sandbox, [shellStep(1, command, { sandbox: { network: false } })]);

    expect(detail.status).toBe('succeeded');
    const output = stepOf(detail, 1).output ?? '';
    expect(output).toMatch(/^ ?M notes.txt/m);
    expect(output).toContain('start');
    // Its repository's git folder is shown (read-only), the user's files beside it are not.
    expect(output).toContain(`photon: the sandbox hides ${join(repo, 'keep.txt')}`);
    expect(output).toMatch(/keep\.txt: Read-only file system/);
    expect(output).toContain(`photon: the sandbox refused a write outside the step's folders ("Read-only file system"): it may write only the step's folder (${join(sandbox.dataDir, 'worktrees', detail.runId, 'step-1')})`);
    // Photon made the step's commit from outside the sandbox; the user's checkout is as it was.
    const branch = `photon/${detail.runId}-step-1`;
    expect(git(repo, 'show', `${branch}:notes.txt`).split('\n')[0]).toBe('line 1 fenced');
    expect(readFileSync(join(repo, 'keep.txt'), 'utf8')).toBe('keep\n');
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8').split('\n')[0]).toBe('line 1');
  });
});
