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
 * `photon daemon`); in the desktop app, where no server is implied, the daemon's default address.
 */
export function webhookUrl(path: string, location: { protocol: string; origin: string }): { url: string; assumed: boolean } {
  if (location.protocol === 'http:' || location.protocol === 'https:') return { url: `${location.origin}${path}`, assumed: false };
  return { url: `http://127.0.0.1:7420${path}`, assumed: true };
}

/** This window's time zone: what a new schedule is read in unless the user picks another. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
