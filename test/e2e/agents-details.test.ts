// The smaller things a user reads on the Agents page, with no keychain reachable: the fix in
// words (commands as code, not in backticks) and a way to check again, secret fields that look
// as disabled as they are, tool paths that break at their slashes, autonomy choices shown whole.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/photon-server.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const sandbox = mkdtempSync(join(tmpdir(), 'photon-agent-details-'));
// A deep folder, as tools installed by version managers live in.
const bin = join(sandbox, 'home', '.local', 'share', 'version-manager', 'installs', 'node', '22.11.0', 'bin');
mkdirSync(bin, { recursive: true });
symlinkSync(join(repoRoot, 'test', 'fixtures', 'tools', 'claude'), join(bin, 'claude'));

const harness = useUiHarness({
  env: {
    PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    // A bus address that leads nowhere: no keychain, and never the user's own.
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(sandbox, 'no-bus')}`,
  },
});

afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

async function openAgents() {
  const opened = await harness.openApp({ viewport: { width: 1000, height: 700 } });
  await opened.page.getByRole('link', { name: 'Agents', exact: true }).click();
  await opened.page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor(ui);
  return opened;
}

/** Where the text of `element` breaks onto a new line: the character before each break. */
function charactersBeforeBreaks(element: Locator): Promise<string[]> {
  return element.evaluate((node) => {
    const range = document.createRange();
    const before: string[] = [];
    let top: number | null = null;
    let previous = '';
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const content = text.textContent ?? '';
      for (let i = 0; i < content.length; i++) {
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect || rect.width === 0) continue;
        if (top !== null && rect.top > top + 2) before.push(previous);
        top = rect.top;
        previous = content[i]!;
      }
    }
    return before;
  });
}

describe('the Agents page in detail', () => {
  it('words the missing keychain without backticks and offers to check again', async () => {
    const { context, page } = await openAgents();
    try {
      const alert = page.getByRole('region', { name: 'Secrets' }).getByRole('alert');
      await alert.waitFor(ui);
      const text = (await alert.textContent()) ?? '';
      expect(text).toContain('gnome-keyring');
      expect(text).not.toContain('`');
      expect(await alert.locator('code').allTextContents()).toContain('sudo apt install gnome-keyring');
      const again = alert.getByRole('button', { name: 'Check again' });
      await again.click();
      // Asked again; still none here, so the same fix stays.
      await alert.getByRole('button', { name: 'Check again' }).waitFor(ui);
      expect(await alert.textContent()).toContain('gnome-keyring');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows the disabled secret fields as disabled', async () => {
    const { context, page } = await openAgents();
    try {
      const name = page.getByRole('form', { name: 'Set a secret' }).getByLabel('Name', { exact: true });
      await name.waitFor(ui);
      expect(await name.isDisabled()).toBe(true);
      const looks = await name.evaluate((input) => {
        const style = (element: Element) => {
          const css = getComputedStyle(element);
          // What shows on an empty field: its fill, its edge, how faded it is (not the text colour).
          return [css.backgroundColor, css.borderTopColor, css.borderTopStyle, css.opacity].join(' ');
        };
        const enabled = input.cloneNode(false) as HTMLInputElement;
        enabled.disabled = false;
        input.after(enabled);
        const result = { disabled: style(input), enabled: style(enabled) };
        enabled.remove();
        return result;
      });
      expect(looks.disabled).not.toBe(looks.enabled);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("breaks a tool's path only at its slashes", async () => {
    const { context, page } = await openAgents();
    try {
      const path = page.locator('.tool-path code').filter({ hasText: '/version-manager/' }).first();
      await path.waitFor(ui);
      const breaks = await charactersBeforeBreaks(path);
      expect(breaks.length).toBeGreaterThan(0);
      expect(breaks.filter((char) => char !== '/'), `breaks after: ${breaks.join(' ')}`).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('shows each autonomy choice whole in the agent form', async () => {
    const { context, page } = await openAgents();
    try {
      await page.getByRole('button', { name: 'New agent' }).click();
      const autonomy = page.getByRole('dialog', { name: 'New agent' }).getByLabel('Autonomy', { exact: true });
      await autonomy.waitFor(ui);
      for (const value of ['default', 'auto-edit', 'full']) {
        await autonomy.selectOption(value);
        const fits = await autonomy.evaluate((select: HTMLSelectElement) => {
          const css = getComputedStyle(select);
          const context2d = document.createElement('canvas').getContext('2d')!;
          context2d.font = `${css.fontWeight} ${css.fontSize} ${css.fontFamily}`;
          const text = select.selectedOptions[0]!.textContent ?? '';
          // The room for text: the box less its padding and the arrow's room (about 20 px).
          const room = select.clientWidth - parseFloat(css.paddingLeft) - parseFloat(css.paddingRight) - 20;
          return { text, needs: Math.ceil(context2d.measureText(text).width), room };
        });
        expect(fits.needs, `"${fits.text}" needs ${fits.needs} px, has ${fits.room}`).toBeLessThanOrEqual(fits.room);
      }
    } finally {
      await context.close();
    }
  }, 60_000);
});
