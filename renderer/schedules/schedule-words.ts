/** How schedules and triggers are said in the app: pure, so they are tested without a page. */

const fireFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** "Tue 3 Mar, 02:00 (in 5 h)", in this window's time zone; null: it will not fire. */
export function nextFireText(iso: string | null, enabled: boolean, now: number): string {
  if (!enabled) return 'Off';
  if (!iso) return 'Never fires again';
  const at = Date.parse(iso);
  return `${fireFormat.format(new Date(at))} (${untilText(at - now)})`;
}

function untilText(ms: number): string {
  if (ms < 60_000) return 'in under a minute';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} h`;
  return `in ${Math.round(hours / 24)} days`;
}

/**
 * A webhook's full URL: this page's own server when the app is served over HTTP (`photon serve`,
 * `photon daemon`: the address this browser reached it at); in the desktop app, the address the
 * engine's server listens on (`triggers.webhookBase`: the daemon's when the app uses one, else its
 * remote access), or null while no server listens and no URL would answer.
 */
export function webhookUrl(path: string, location: { protocol: string; origin: string }, engineBase: string | null): string | null {
  if (location.protocol === 'http:' || location.protocol === 'https:') return `${location.origin}${path}`;
  return engineBase === null ? null : `${engineBase}${path}`;
}

/** Why a webhook has no URL now, and how to give it one. */
export const noWebhookServer = 'no server listens for webhooks now: start photon daemon on this data folder (the app then uses it), or turn on remote access in Settings';

/** This window's time zone: what a new schedule is read in unless the user picks another. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
