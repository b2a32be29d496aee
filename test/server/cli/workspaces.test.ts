/**
 * The workspace commands as a user types them, on a real repository: `photon diff`, `photon merge`,
 * `photon discard`, `photon workspaces [cleanup|prune]` and `photon run --trust-setup`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../../../shared/byte-text.js';
import type { WorkspacesUsage } from '../../../shared/workspace-review.js';
import { photon, tempFolder } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());
const repo = join(temp.dir, 'repo');
const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: gitEnv, encoding: 'utf8' }).trim();
const data = ['--data-dir', temp.dataDir];

/** A workflow file in the repository: step 1 edits notes.txt, step 2 adds a file. */
function workflowFile(name: string, extra: Record<string, unknown> = {}): string {
  const file = join(repo, `${name}.photon.json`);
  const workflow = {
    name,
    workspace: { repo: '.', ...extra },
    workflow: [
      { step: 1, platform: 'shell', inputs: { command: "sed -i 's/^two$/two, edited/' notes.txt" }, dependencies: [] },
      { step: 2, platform: 'shell', inputs: { command: 'printf "a\\nb\\n" > added.txt' }, dependencies: [] },
    ],
  };
  writeFileSync(file, JSON.stringify(workflow));
  return file;
}

async function runJson(file: string, ...args: string[]): Promise<{ code: number | null; runId: string; stderr: string; status: string }> {
  const result = await photon(['run', file, '--json', ...args, ...data]);
  const parsed = JSON.parse(result.stdout) as { runId: string; status: string };
  return { code: result.code, runId: parsed.runId, status: parsed.status, stderr: result.stderr };
}

beforeAll(() => {
  mkdirSync(repo);
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.name', 'Test User');
  git('config', 'user.email', 'user@example.com');
  writeFileSync(join(repo, 'notes.txt'), 'one\ntwo\nthree\n');
  writeFileSync(join(repo, '.gitignore'), '*.photon.json\n');
  git('add', '--all');
  git('commit', '--quiet', '-m', 'start');
});

describe('photon diff, merge, discard and workspaces', () => {
  it('shows the run’s diff and a step’s, as a patch or --stat, and merges it with --squash', async () => {
    const run = await runJson(workflowFile('edit'));
    expect(run.code).toBe(0);

    const stat = await photon(['diff', run.runId, '--stat', ...data]);
    expect(stat.code).toBe(0);
    const lines = stat.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^result of run .* against its base main:$/);
    expect(lines[1]).toMatch(/^FILE +CHANGE +ADDED +REMOVED$/);
    expect(lines[2]).toMatch(/^added\.txt +added +\+2 +-0$/);
    expect(lines[3]).toMatch(/^notes\.txt +modified +\+1 +-1$/);
    expect(lines[4]).toBe('2 files changed, +3 -1');

    const patch = await photon(['diff', run.runId, '1', ...data]);
    expect(patch.stdout).toBe(`diff --git a/notes.txt b/notes.txt\n${patch.stdout.split('\n')[1]}\n--- a/notes.txt\n+++ b/notes.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+two, edited\n three\n`);
    const badStep = await photon(['diff', run.runId, 'two', ...data]);
    expect(badStep.code).toBe(2);
    expect(badStep.stderr).toBe('photon diff: STEP must be a step number (1, 2, …), not "two"; `photon show RUN_ID` lists the steps\n');

    const both = await photon(['merge', run.runId, '--squash', '--ff', ...data]);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('photon merge: choose one of --ff, --squash\n');
    const missing = await photon(['merge', run.runId, '--into', 'nope', ...data]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^photon merge: branch nope does not exist in .*; create it first/);

    const dry = await photon(['merge', run.runId, '--squash', '--dry-run', ...data]);
    expect(dry.stdout).toMatch(/^Would add one commit to main holding all of the run's changes; main is checked out in .*repo: its files are updated/);
    const before = git('rev-parse', 'main');
    const merged = await photon(['merge', run.runId, '--squash', ...data]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toMatch(new RegExp(`^Merged run ${run.runId} into main \\(${before.slice(0, 12)} -> [0-9a-f]{12}\\)`));
    expect(merged.stdout).toContain(`deleted branch photon/${run.runId}\n`);
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('one\ntwo, edited\nthree\n');
    expect(git('rev-list', '--count', `${before}..main`)).toBe('1');
    expect(git('status', '--porcelain')).toBe('');
  });

  it('lists worktrees with their disk use, discards a run, and prunes the rest', async () => {
    const first = await runJson(workflowFile('first'));
    const second = await runJson(workflowFile('second'));
    // The page gets these bytes from the same method (workspaces.usage) and prints them with formatBytes.
    const usage = JSON.parse((await photon(['workspaces', '--json', ...data])).stdout) as WorkspacesUsage;
    const firstBytes = usage.runs.find((r) => r.runId === first.runId)!.bytes;
    const listed = await photon(['workspaces', ...data]);
    expect(listed.code).toBe(0);
    const rows = listed.stdout.split('\n');
    expect(rows[0]).toMatch(/^RUN +STATUS +WORKTREES +DISK +RESULT BRANCH +WORKFLOW$/);
    expect(formatBytes(firstBytes)).toMatch(/^[\d.]+ KB$/);
    expect(rows.find((r) => r.startsWith(first.runId))).toMatch(new RegExp(`succeeded +2 +${formatBytes(firstBytes).replace('.', '\\.')} +photon/${first.runId} +first$`));
    expect(listed.stdout).toMatch(/ in .*worktrees( \([\d.]+ [KMG]B of it made ahead of time for the next steps\))?\. `photon workspaces cleanup` frees/);

    const discarded = await photon(['discard', first.runId, ...data]);
    expect(discarded.code).toBe(0);
    expect(discarded.stdout).toContain(`removed worktree ${join(temp.dataDir, 'worktrees', first.runId, 'step-1')}\n`);
    expect(discarded.stdout).toContain(`deleted branch photon/${first.runId}-step-2\n`);

    const pruned = await photon(['workspaces', 'prune', ...data]);
    expect(pruned.stdout).toContain(`deleted branch photon/${second.runId}\n`);
    expect(git('for-each-ref', 'refs/heads/photon/')).toBe('');
    expect((await photon(['workspaces', ...data])).stdout).toMatch(/^No worktrees or result branches/);
    const unknown = await photon(['workspaces', 'purge', ...data]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown action "purge": photon workspaces takes prune or cleanup');
  });

  it('photon run --trust-setup trusts the setup script, printing it and its sha256; without it the run fails naming them', async () => {
    mkdirSync(join(repo, '.photon'), { recursive: true });
    writeFileSync(join(repo, '.photon', 'setup'), 'echo set up > .setup-ran\n');
    writeFileSync(join(repo, '.gitignore'), '*.photon.json\n.setup-ran\n');
    git('add', '--all');
    git('commit', '--quiet', '-m', 'setup');
    const hash = execFileSync('sha256sum', [join(repo, '.photon', 'setup')], { encoding: 'utf8' }).split(' ')[0]!;
    const file = workflowFile('with setup');

    const refused = await runJson(file);
    expect(refused.code).toBe(1);
    expect((await photon(['show', refused.runId, ...data])).stdout).toContain(`(sha256 ${hash}) is not trusted yet`);

    const trusted = await runJson(file, '--trust-setup');
    expect(trusted.code).toBe(0);
    expect(trusted.stderr).toContain(`Trusted the setup script ${join(repo, '.photon', 'setup')}\n  sha256 ${hash}\n  | echo set up > .setup-ran\n`);
    expect(readFileSync(join(temp.dataDir, 'worktrees', trusted.runId, 'step-1', '.setup-ran'), 'utf8')).toBe('set up\n');

    const plain = join(temp.dir, 'plain.json');
    writeFileSync(plain, JSON.stringify({ name: 'plain', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' }, dependencies: [] }] }));
    const misuse = await photon(['run', plain, '--trust-setup', ...data]);
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toContain('--trust-setup is for runs with workspaces: add --worktree');
  });
});
