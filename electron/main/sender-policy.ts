import { isAppUrl } from './app-url.js';

/**
 * Whether an IPC message may be answered: it must come from a frame showing the app's own page.
 * The glue also checks that the sender is our window's top frame; this is the URL half.
 */
export function isAllowedSender(frameUrl: string | undefined | null, appUrl: string): boolean {
  return typeof frameUrl === 'string' && frameUrl !== '' && isAppUrl(frameUrl, appUrl);
}
