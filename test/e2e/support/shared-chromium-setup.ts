// One Chromium for the whole run, which the end-to-end files connect to, each in browser profiles
// of its own: a file no longer waits for a browser to start and stop (about 1 to 2 s of each).
import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { chromiumPath, launchChromiumServer } from './chromium.js';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  // A run of only other files (named on the command line) has no use for it.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  const wanted = !filters || filters.some((filter) => filter.includes('e2e'));
  if (!wanted || !existsSync(chromiumPath)) {
    project.provide('chromiumEndpoint', '');
    return undefined;
  }
  const server = await launchChromiumServer();
  project.provide('chromiumEndpoint', server.wsEndpoint());
  return () => server.close();
}
