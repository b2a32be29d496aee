// The app's text fields and menus, in Chromium against `photon serve`: every one of them on the
// pages of forms (Settings, Approvals, Agents) has the app's look in both themes, not the browser's
// own white or grey box, which a form whose fields no style rule named used to show.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();

/** Each visible text field, menu and text area on the page that lacks the app's fill or rounded edge, named by its label. */
function controlsOffTheme(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const probe = document.createElement('div');
    probe.style.background = 'var(--surface)';
    document.body.append(probe);
    const surface = getComputedStyle(probe).backgroundColor;
    probe.style.background = 'var(--surface-2)';
    const surface2 = getComputedStyle(probe).backgroundColor;
    probe.remove();
    const controls = [...document.querySelectorAll<HTMLElement>('main input, main select, main textarea')].filter(
      (el) => !['checkbox', 'radio', 'file', 'hidden'].includes((el as HTMLInputElement).type) && el.getClientRects().length > 0,
    );
    return controls
      .filter((el) => {
        const style = getComputedStyle(el);
        return ![surface, surface2].includes(style.backgroundColor) || style.borderTopLeftRadius === '0px';
      })
      .map((el) => `${(el as HTMLInputElement).labels?.[0]?.textContent?.trim() || el.getAttribute('aria-label') || el.outerHTML.slice(0, 80)}: ${getComputedStyle(el).backgroundColor}`);
  });
}

describe('Form controls', () => {
  it("have the app's look on Settings, Approvals and Agents, in the light and the dark theme", async () => {
    const { context, page } = await harness.openApp();
    try {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const nav = page.getByRole('navigation', { name: 'Workflows and runs' });
        for (const [link, ready] of [
          [/Settings/, 'Listen address'],
          [/Approvals/, 'Rules of'],
          [/Agents/, 'Name'],
        ] as const) {
          await nav.getByRole('link', { name: link }).click();
          await page.getByLabel(ready, { exact: true }).first().waitFor(ui);
          expect(await controlsOffTheme(page), `${scheme}, ${link}`).toEqual([]);
        }
      }
    } finally {
      await context.close();
    }
  });
});
