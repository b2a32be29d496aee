// Reading and typing into the terminal the dock shows. Text comes from xterm's buffer through the
// probe the terminal view puts on its element.
import type { Page } from 'playwright-core';

/** The text in the shown terminal's buffer ('' while none is shown). */
export function shownTerminalText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.querySelector('.terminal-view:not([hidden]) .terminal-surface') as (HTMLElement & { photonTerminal?: { text(): string } }) | null;
    return element?.photonTerminal?.text() ?? '';
  });
}

export const terminalLines = (text: string): string[] => text.split('\n').map((line) => line.trimEnd());

export async function typeInTerminal(page: Page, text: string): Promise<void> {
  await page.locator('.terminal-view:not([hidden]) .terminal-surface').click();
  await page.keyboard.type(text);
}
