// A terminal flood goes into xterm and nowhere else (issue 17): terminal output never passes
// through the store, so while megabytes stream in, the dock and the terminal view do not render
// per batch and nothing outside the terminal's own surface changes per batch. Counted, not timed:
// renders by renderer/lib/render-count.ts, DOM changes outside the surface by a MutationObserver,
// batches as the WebSocket's binary frames. What is allowed is what a second brings anyway (the
// tab names the program in the foreground from the engine's once-a-second sample).
import type { Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openShell, shownSurface } from './support/terminal-dock.js';
import { shownTerminalText, terminalLines, typeInTerminal } from './support/terminal-page.js';
import { ui, useUiHarness } from './support/ui-harness.js';

if (existsSync('/bin/bash')) process.env.SHELL = '/bin/bash';
const harness = useUiHarness();

/** Starts counting renders and the DOM changes outside the shown terminal's surface. */
function startCounting(page: Page): Promise<void> {
  return page.evaluate((surfaceSelector) => {
    const surface = document.querySelector(surfaceSelector)!;
    const counted = { outside: 0, where: [] as string[] };
    (window as unknown as { __photonRenders: Record<string, number> }).__photonRenders = {};
    (window as unknown as { __floodCounted: typeof counted }).__floodCounted = counted;
    new MutationObserver((records) => {
      for (const record of records) {
        const node = record.target.nodeType === Node.ELEMENT_NODE ? (record.target as Element) : record.target.parentElement;
        if (node && surface.contains(node)) continue;
        counted.outside++;
        if (counted.where.length < 20) counted.where.push(`${record.type} ${record.attributeName ?? ''} ${node?.className ?? node?.tagName ?? ''}`);
      }
    }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  }, shownSurface);
}

function counted(page: Page): Promise<{ renders: Record<string, number>; outside: number; where: string[] }> {
  return page.evaluate(() => {
    const { outside, where } = (window as unknown as { __floodCounted: { outside: number; where: string[] } }).__floodCounted;
    return { renders: { ...(window as unknown as { __photonRenders: Record<string, number> }).__photonRenders }, outside, where };
  });
}

describe.runIf(process.platform === 'linux')('a terminal flood', () => {
  it('goes into xterm without rendering the dock or changing the rest of the page per batch', async () => {
    const context = await harness.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript('window.__photonRenders = {}');
    const page = await context.newPage();
    let batches = 0;
    page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => void (typeof payload !== 'string' && batches++)));
    try {
      await page.goto(harness.server.url);
      await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor(ui);
      await openShell(page);
      await startCounting(page);
      const batchesBefore = batches;
      const from = Date.now();
      // About 20 MB of base64 lines: at least 60 batches of the largest size the engine sends, and
      // under a flood it sends many smaller ones. The marker is spliced so the command line never matches.
      await typeInTerminal(page, 'head -c 15000000 /dev/urandom | base64; echo FLOOD""DONE\n');
      await expect.poll(async () => terminalLines(await shownTerminalText(page)).includes('FLOODDONE'), { timeout: 180_000 }).toBe(true);
      const seconds = (Date.now() - from) / 1000;
      const flood = batches - batchesBefore;
      const { renders, outside, where } = await counted(page);

      expect(flood).toBeGreaterThanOrEqual(60);
      // Opening the flood and its program's name in the tab (sampled once a second) render the dock a few times; its batches never.
      const perSecond = 4 + 2 * seconds;
      for (const name of ['terminal-dock', 'terminal-view']) {
        expect(renders[name] ?? 0, `${name} renders in ${seconds.toFixed(1)} s of ${flood} batches`).toBeLessThanOrEqual(Math.min(perSecond, flood / 4));
      }
      expect(outside, `DOM changes outside the terminal in ${seconds.toFixed(1)} s of ${flood} batches: ${where.join('; ')}`).toBeLessThanOrEqual(Math.min(2 * perSecond, flood / 2));
    } finally {
      await context.close();
    }
  }, 240_000);
});
