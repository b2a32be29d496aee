// What the page draws, checked where a user would see it go wrong: symbols drawn as empty boxes,
// axis labels on top of each other, bars cut off at the chart's edge, a value spilling out of its
// card, two statuses in one colour. At 1000x700, the size the issue found them at.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { statusIcons } from '../../renderer/lib/status.js';
import { importAndOpen, node } from './support/canvas-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const harness = useUiHarness();
const openApp = () => harness.openApp({ viewport: { width: 1000, height: 700 } });

interface Box {
  left: number;
  right: number;
}

/** Symbols that the page's font draws as the missing-glyph box (compared pixel for pixel with an unassigned code point). */
function boxedSymbols(page: Page, symbols: readonly string[]): Promise<string[]> {
  return page.evaluate((chars) => {
    const family = getComputedStyle(document.querySelector('.badge') ?? document.body).fontFamily;
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 64;
    const context = canvas.getContext('2d')!;
    const draw = (text: string) => {
      context.clearRect(0, 0, 64, 64);
      context.font = `40px ${family}`;
      context.fillText(text, 4, 48);
      return context.getImageData(0, 0, 64, 64).data.join(',');
    };
    const missing = draw('\u{10FFFD}');
    return chars.filter((char) => draw(char) === missing);
  }, symbols);
}

function drawnTimeline(page: Page) {
  return page.evaluate(() => {
    const box = (element: Element) => {
      const rect = element.getBoundingClientRect();
      return { left: rect.left, right: rect.right };
    };
    return {
      axis: box(document.querySelector('.timeline-axis')!),
      ticks: [...document.querySelectorAll('.timeline-tick')].map(box),
      tracks: [...document.querySelectorAll('.timeline-track')].map((track) => ({
        track: box(track),
        bars: [...track.querySelectorAll('.timeline-bar')].map((bar) => ({ bar: box(bar), label: box(bar.querySelector('.timeline-bar-label')!) })),
      })),
    };
  });
}

/** Every label inside the axis, with a little air between neighbours. */
function expectApart(axis: Box, ticks: Box[]): void {
  ticks.forEach((tick, index) => {
    expect(tick.left).toBeGreaterThanOrEqual(axis.left - 0.5);
    expect(tick.right).toBeLessThanOrEqual(axis.right + 0.5);
    const next = ticks[index + 1];
    if (next) expect(next.left - tick.right, `label ${index + 1} runs into label ${index + 2}`).toBeGreaterThanOrEqual(4);
  });
}

// 1 fails four times (about 3 s), 2 runs longer, 3 is a short last step (its bar is at the right edge), 4 is skipped.
const timelineWorkflow = {
  name: 'Drawn at 1000 px',
  workflow: [
    { step: 1, label: 'Flaky', platform: 'shell', retryPolicy: { maxAttempts: 4, initialIntervalMs: 300, backoffCoefficient: 1 }, inputs: { command: 'sleep 0.5; exit 1' } },
    { step: 2, label: 'Long', platform: 'shell', inputs: { command: 'sleep 5.6; echo done' } },
    { step: 3, label: 'Last', platform: 'shell', dependencies: [2], inputs: { command: 'true' } },
    { step: 4, label: 'After flaky', platform: 'shell', dependencies: [1], inputs: { command: 'true' } },
  ],
};

describe('rendering', () => {
  it('draws every status symbol with a real glyph, not an empty box', async () => {
    const { context, page } = await openApp();
    try {
      // The check itself tells a missing glyph from a drawn one.
      expect(await boxedSymbols(page, ['\u23F8', '✓'])).toEqual(['\u23F8']);
      expect(await boxedSymbols(page, statusIcons)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("keeps the timeline's axis labels apart and its bars inside the chart, and tells Skipped from Cancelled", async () => {
    const { context, page } = await openApp();
    try {
      await importAndOpen(page, harness.filesDir, timelineWorkflow);
      await page.getByRole('button', { name: 'Run workflow' }).click();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
      await page.locator('.run-facts').getByText('Failed', { exact: true }).waitFor({ timeout: 30_000 });
      await expect.poll(() => page.locator('.timeline-bar').count(), ui).toBe(6);

      const drawn = await drawnTimeline(page);
      expect(drawn.ticks.length).toBeGreaterThanOrEqual(2);
      expectApart(drawn.axis, drawn.ticks);
      for (const { track, bars } of drawn.tracks) {
        for (const { bar, label } of bars) {
          expect(bar.right).toBeLessThanOrEqual(track.right + 0.5);
          expect(label.right).toBeLessThanOrEqual(bar.right + 0.5);
        }
      }
      // A narrower window leaves the axis less room: fewer marks, still apart.
      await page.setViewportSize({ width: 820, height: 700 });
      await expect.poll(async () => (await drawnTimeline(page)).axis.right - (await drawnTimeline(page)).axis.left, ui).toBeLessThan(drawn.axis.right - drawn.axis.left - 50);
      const narrow = await drawnTimeline(page);
      expect(narrow.ticks.length).toBeGreaterThanOrEqual(2);
      expectApart(narrow.axis, narrow.ticks);

      // Skipped (step 4) and Cancelled are told apart by colour as well as by word, on the node and the card.
      const colours = await page.evaluate(() => {
        const skippedNode = document.querySelector('.react-flow__node[data-id="4"] .step-node')!;
        const cancelled = skippedNode.cloneNode(false) as HTMLElement;
        cancelled.className = skippedNode.className.replace('status-skipped', 'status-cancelled');
        skippedNode.parentElement!.append(cancelled);
        const style = (element: Element) => {
          const css = getComputedStyle(element);
          return `${css.backgroundColor} ${css.borderLeftColor}`;
        };
        const result = { skipped: style(skippedNode), cancelled: style(cancelled) };
        cancelled.remove();
        return result;
      });
      expect(await node(page, 4).locator('.step-node').getAttribute('aria-label')).toContain('Skipped');
      expect(colours.skipped).not.toBe(colours.cancelled);
    } finally {
      await context.close();
    }
  }, 90_000);

  it("leaves space between a run's timeline and its first step card", async () => {
    const { context, page } = await openApp();
    try {
      await importAndOpen(page, harness.filesDir, { name: 'Timeline above the cards', workflow: [{ step: 1, label: 'Echo', platform: 'shell', inputs: { command: 'echo hi' } }] });
      await page.getByRole('button', { name: 'Run workflow' }).click();
      await page.waitForURL(/#\/runs\/[\w-]+$/, ui);
      await page.locator('.run-facts').getByText('Succeeded', { exact: true }).waitFor(ui);
      await page.locator('.timeline-table').waitFor(ui);
      const gap = await page.evaluate(() => {
        const table = document.querySelector('.timeline-table')!.getBoundingClientRect();
        const card = document.querySelector('.step-cards .step-card')!.getBoundingClientRect();
        return card.top - table.bottom;
      });
      expect(gap).toBeGreaterThanOrEqual(16);
    } finally {
      await context.close();
    }
  });

  it("keeps a workflow's title clear of its actions in a window 900 px wide", async () => {
    const { context, page } = await harness.openApp({ viewport: { width: 900, height: 700 } });
    try {
      await importAndOpen(page, harness.filesDir, { name: 'Worktree edits', workflow: [{ step: 1, label: 'Edit', platform: 'shell', inputs: { command: 'true' } }] });
      const drawn = await page.evaluate(() => {
        const title = document.querySelector('.view h1')!;
        const text = document.createRange();
        text.selectNodeContents(title);
        const words = text.getBoundingClientRect();
        const overlaps = [...document.querySelectorAll('.view-actions button')].some((button) => {
          const box = button.getBoundingClientRect();
          return box.left < words.right && box.right > words.left && box.top < words.bottom && box.bottom > words.top;
        });
        return { overlaps, spills: title.scrollWidth > title.clientWidth, oneLine: words.height < 40 };
      });
      expect(drawn).toEqual({ overlaps: false, spills: false, oneLine: true });
    } finally {
      await context.close();
    }
  });

  it('keeps a dollar amount inside its card on the dashboard', async () => {
    const { context, page } = await openApp();
    try {
      await page.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).click();
      const value = page.locator('[data-metric="cost-today"] .metric-value');
      await expect.poll(() => value.textContent(), ui).toMatch(/^\$/);
      // The widest amounts formatUsd writes below $10,000: four decimals under a dollar, cents above.
      for (const amount of ['$0.0042', '$1234.57']) {
        const fits = await value.evaluate((element, text) => {
          element.textContent = text;
          const card = element.closest('.metric-card')!.getBoundingClientRect();
          const shown = element.getBoundingClientRect();
          return { inside: shown.right <= card.right - 1 && element.scrollWidth <= element.clientWidth + 1, oneLine: shown.height < 40 };
        }, amount);
        expect(fits, amount).toEqual({ inside: true, oneLine: true });
      }
    } finally {
      await context.close();
    }
  }, 60_000);
});
