// An exception the app leaves uncaught is a bug the user meets as a broken screen, so it fails the
// test during which the page threw it, even when the test's own assertions happened to pass.
import type { BrowserContext, Page } from 'playwright-core';
import { afterEach } from 'vitest';

export interface PageErrors {
  /** Every page of the context, those opened later included. */
  watchContext(context: BrowserContext): void;
  /** One page (Electron's window, which belongs to no context the test made). */
  watchPage(page: Page): void;
}

/** Registers, for the calling test file, a check after each test that no watched page threw. */
export function failOnPageErrors(): PageErrors {
  const thrown: string[] = [];
  const record = (error: Error) => thrown.push(error.stack ?? `${error.name}: ${error.message}`);

  afterEach(() => {
    if (thrown.length === 0) return;
    const errors = thrown.splice(0);
    throw new Error(`the app threw ${errors.length} uncaught error${errors.length === 1 ? '' : 's'} during this test:\n\n${errors.join('\n\n')}`);
  });

  return {
    watchContext: (context) => context.on('weberror', (webError) => record(webError.error())),
    watchPage: (page) => page.on('pageerror', record),
  };
}
