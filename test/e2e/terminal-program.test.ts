// A terminal tab names the program its shell runs now, in Chromium against `photon serve`: the
// engine samples each terminal's foreground process group once a second.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openShell } from './support/terminal-dock.js';
import { typeInTerminal } from './support/terminal-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

if (existsSync('/bin/bash')) process.env.SHELL = '/bin/bash';
const harness = useUiHarness();

describe.runIf(process.platform === 'linux')('a terminal tab', () => {
  it('shows the program in the foreground, and nothing at the prompt', async () => {
    const { context, page } = await harness.openApp();
    try {
      await openShell(page);
      const tab = page.getByRole('tab', { selected: true });
      const program = tab.locator('.terminal-tab-program');
      expect(await program.count()).toBe(0);
      await typeInTerminal(page, 'sleep 300\n');
      await expect.poll(() => program.textContent(), ui).toBe('sleep');
      // The tab's accessible name carries it too.
      await expect.poll(async () => (await tab.textContent()) ?? '', ui).toMatch(/sleep/);
      await page.keyboard.press('Control+c');
      await program.waitFor({ ...ui, state: 'detached' });
    } finally {
      await context.close();
    }
  }, 60_000);
});

