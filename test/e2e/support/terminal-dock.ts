// The terminal dock as the feature tests drive it: opening a shell with a known prompt, asking the
// shell for values, the grid and selection through the probe on the terminal's element (see
// renderer/terminals/terminal-session.ts), and where a cell is on the page.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { shownTerminalText, terminalLines as lines, typeInTerminal } from './terminal-page.js';
import { ui } from './ui-harness.js';

export interface ProbeSize {
  cols: number;
  rows: number;
  fontSize: number;
}

export interface ProbeSelection {
  text: string;
  line: string;
  onScreen: boolean;
}

export const shownSurface = '.terminal-view:not([hidden]) .terminal-surface';

export function terminalSize(page: Page): Promise<ProbeSize> {
  return page.evaluate((selector) => {
    const element = document.querySelector(selector) as HTMLElement & { photonTerminal: { size(): ProbeSize } };
    return element.photonTerminal.size();
  }, shownSurface);
}

/** The grid once it stopped changing: the same over two animation frames (a drag or zoom re-fits on the next frame). */
export async function settledSize(page: Page): Promise<ProbeSize> {
  let previous = await terminalSize(page);
  for (;;) {
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const now = await terminalSize(page);
    if (now.cols === previous.cols && now.rows === previous.rows && now.fontSize === previous.fontSize) return now;
    previous = now;
  }
}

export function terminalSelection(page: Page): Promise<ProbeSelection | null> {
  return page.evaluate((selector) => {
    const element = document.querySelector(selector) as HTMLElement & { photonTerminal: { selection(): ProbeSelection | null } };
    return element.photonTerminal.selection();
  }, shownSurface);
}

/** Opens a shell from the dock, waiting until it shows something, without clicking into it. */
export async function openShellOnly(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'New terminal' }).click();
  const dialog = page.getByRole('dialog', { name: 'New terminal' });
  await dialog.getByRole('button', { name: 'Open' }).click();
  await dialog.waitFor({ state: 'hidden', ...ui });
  await page.getByRole('tab', { selected: true }).waitFor(ui);
  await expect.poll(() => shownTerminalText(page), ui).not.toBe('');
}

/** Opens a shell from the dock and gives it a prompt the tests can recognise. */
export async function openShell(page: Page, prompt = 'PHOTON-TEST>'): Promise<void> {
  await openShellOnly(page);
  await typeInTerminal(page, `export PS1='${prompt} '; clear\n`);
  await expect.poll(async () => lines(await shownTerminalText(page)).at(-1), ui).toBe(prompt);
}

/** Values of the output lines `name=NUMBER` in the shown terminal, oldest first. */
async function reported(page: Page, name: string): Promise<number[]> {
  const pattern = new RegExp(`^${name}=(\\d+)$`);
  return lines(await shownTerminalText(page)).flatMap((line) => {
    const value = pattern.exec(line)?.[1];
    return value === undefined ? [] : [Number(value)];
  });
}

/**
 * Runs `echo "name=$(command)"` in the shown shell and returns the number it prints. The typed
 * line itself never matches `name=NUMBER`, so only the answer counts.
 */
export async function askShell(page: Page, name: string, command: string): Promise<number> {
  const before = (await reported(page, name)).length;
  await typeInTerminal(page, `echo "${name}=$(${command})"\n`);
  await expect.poll(async () => (await reported(page, name)).length, ui).toBeGreaterThan(before);
  return (await reported(page, name)).at(-1)!;
}

/** Where a cell of the screen is on the page (column and row counted from 0 on the visible screen). */
export async function cellPoint(page: Page, column: number, row: number): Promise<{ x: number; y: number }> {
  const screen = await page.locator(`${shownSurface} .xterm-screen`).boundingBox();
  if (!screen) throw new Error('the terminal screen is not visible');
  const { cols, rows } = await terminalSize(page);
  const width = screen.width / cols;
  const height = screen.height / rows;
  return { x: screen.x + (column + 0.5) * width, y: screen.y + (row + 0.5) * height };
}

/** The rows on the shown terminal's screen, as text. */
export function screenRows(page: Page): Promise<string[]> {
  return page.evaluate((selector) => {
    const element = document.querySelector(selector) as HTMLElement & { photonTerminal: { screen(): string[] } };
    return element.photonTerminal.screen();
  }, shownSurface);
}
