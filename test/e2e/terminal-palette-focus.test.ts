// A terminal opened from the command palette's "New terminal" takes the keys at once: what the user
// types right after choosing Open reaches the shell, with no click into the terminal (issue 14).
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shownSurface } from './support/terminal-dock.js';
import { shownTerminalText, terminalLines } from './support/terminal-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

// A shell whose start-up takes a moment, so the first keys arrive before its prompt does.
const shell = join(mkdtempSync(join(tmpdir(), 'photon-palette-shell-')), 'slow-bash');
writeFileSync(shell, '#!/bin/bash\nsleep 1.2\nPS1="READY> " exec /bin/bash --norc --noprofile -i\n');
chmodSync(shell, 0o755);
const harness = useUiHarness({ env: { SHELL: shell } });

describe('New terminal from the command palette', () => {
  it('gives the new shell the keyboard, so keys typed at once are not lost', async () => {
    const { context, page } = await harness.openApp();
    try {
      for (const keys of ['Control+k', 'Control+Shift+P']) {
        const expected = keys === 'Control+k' ? 'first-42' : 'second-43';
        await page.keyboard.press(keys);
        const palette = page.getByRole('dialog', { name: 'Command palette' });
        await palette.waitFor(ui);
        await palette.getByRole('combobox').fill('new terminal');
        await palette.getByRole('option', { name: /New terminal/ }).first().click();
        const dialog = page.getByRole('dialog', { name: /New terminal/ });
        await dialog.getByRole('button', { name: 'Open', exact: true }).click();
        await dialog.waitFor({ state: 'hidden', ...ui });
        // Typed at once: no click into the terminal, no wait for the prompt.
        await page.keyboard.type(keys === 'Control+k' ? 'echo first-$((40+2))\n' : 'echo second-$((40+3))\n');
        await expect.poll(async () => terminalLines(await shownTerminalText(page)), ui).toContain(expected);
        expect(await page.evaluate((selector) => document.querySelector(selector)?.contains(document.activeElement), shownSurface)).toBe(true);
      }
      await expect.poll(() => page.getByRole('tab').count(), ui).toBe(2);
    } finally {
      await context.close();
    }
  }, 60_000);
});
