// "New terminal" with "In a new worktree", in Chromium against `photon serve` and a real git
// repository: the shell starts on its own photon/term-<id> branch in a worktree under Photon's
// data folder, and the user's checkout stays on its branch.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shownTerminalText, terminalLines, typeInTerminal } from './support/terminal-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

if (existsSync('/bin/bash')) process.env.SHELL = '/bin/bash';
const harness = useUiHarness();
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

describe.runIf(process.platform === 'linux')('New terminal in a new worktree', () => {
  it('starts the shell on a photon/term branch in a worktree of the folder’s repository', async () => {
    const repo = join(harness.filesDir, 'repo');
    mkdirSync(repo, { recursive: true });
    git(repo, 'init', '--quiet', '--initial-branch=main');
    writeFileSync(join(repo, 'readme.txt'), 'hello\n');
    git(repo, 'add', '.');
    git(repo, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '--quiet', '-m', 'first');

    const { context, page } = await harness.openApp();
    try {
      await page.getByRole('button', { name: 'New terminal' }).click();
      const dialog = page.getByRole('dialog', { name: 'New terminal' });
      await dialog.getByLabel('Folder').fill(repo);
      await dialog.getByLabel('In a new worktree').check();
      await dialog.getByRole('button', { name: 'Open' }).click();
      await dialog.waitFor({ state: 'hidden', ...ui });
      await expect.poll(() => shownTerminalText(page), ui).not.toBe('');
      await typeInTerminal(page, 'echo "at=$(git branch --show-current) $PHOTON_BRANCH $PWD"\n');
      const answer = async () => terminalLines(await shownTerminalText(page)).find((line) => line.startsWith('at=')) ?? '';
      await expect.poll(answer, ui).toMatch(/^at=photon\/term-[0-9a-f]{8} photon\/term-[0-9a-f]{8} \//);
      const [branch, , cwd] = (await answer()).slice('at='.length).split(' ');
      expect(cwd!.startsWith(join(harness.dataDir, 'worktrees', '.terminals'))).toBe(true);
      expect(git(repo, 'worktree', 'list', '--porcelain')).toContain(`worktree ${cwd}\n`);
      expect(git(repo, 'branch', '--list', 'photon/*').replace(/^[*+ ]+/gm, '')).toBe(branch);
      expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    } finally {
      await context.close();
    }
  }, 90_000);
});
