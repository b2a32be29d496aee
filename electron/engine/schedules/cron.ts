import { Cron } from 'croner';
import { PhotonError } from '../../../shared/errors.js';

/** The time zone schedules use when none is given: this machine's. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Why a time zone name is not one Photon can schedule in; undefined when it is. */
export function timeZoneProblem(timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return undefined;
  } catch {
    return `time zone "${timeZone}" is not an IANA time zone name; use one such as Europe/Paris, America/New_York or UTC`;
  }
}

const cronHelp = 'write five fields, minute hour day-of-month month day-of-week (e.g. "0 2 * * *": every day at 02:00; "*/15 9-17 * * 1-5": every quarter hour of working hours), or six with seconds first';

/** The cron expression read in its zone; a bad one, or one that never fires again, is refused naming the field to fix. */
export function parseCron(cron: string, timeZone: string, now: number): Cron {
  const zone = timeZoneProblem(timeZone);
  if (zone) throw new PhotonError('invalid', zone, { issues: [{ path: 'timeZone', message: zone }] });
  // croner also reads a seventh field (the year), which Photon does not document or show: refused
  // rather than read in a way the user was never told of. Its nicknames (@daily) are one field.
  const fields = cron.trim().split(/\s+/).length;
  if (!cron.trim().startsWith('@') && fields !== 5 && fields !== 6) {
    const message = `cron "${cron}" has ${fields} field${fields === 1 ? '' : 's'}; ${cronHelp}`;
    throw new PhotonError('invalid', message, { issues: [{ path: 'cron', message }] });
  }
  let pattern: Cron;
  try {
    pattern = new Cron(cron, { timezone: timeZone, paused: true });
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).replace(/^CronPattern:\s*/, '');
    const message = `cron "${cron}" is not valid (${why}); ${cronHelp}`;
    throw new PhotonError('invalid', message, { issues: [{ path: 'cron', message }] });
  }
  if (pattern.nextRun(new Date(now)) === null) {
    const message = `cron "${cron}" never fires (no such date comes again); ${cronHelp}`;
    throw new PhotonError('invalid', message, { issues: [{ path: 'cron', message }] });
  }
  return pattern;
}

/** The first time after `after` (epoch ms) the expression matches in its zone, or null when none comes. */
export function nextFireAfter(cron: string, timeZone: string, after: number): number | null {
  const next = new Cron(cron, { timezone: timeZone, paused: true }).nextRun(new Date(after));
  return next ? next.getTime() : null;
}
