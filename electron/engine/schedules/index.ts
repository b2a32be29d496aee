/**
 * Schedules and triggers: what starts a saved workflow without a person (cron schedules in a time
 * zone, a file or folder changing, a webhook with its own secret). Kept and checked by every
 * engine; fired by the one holding the data folder's scheduler lock in a host that fires them.
 */
export { AutomationService, type AutomationDeps, type ScheduleAdd, type TriggerAdd } from './automation-service.js';
export { systemClock, type Clock } from './clock.js';
export { schedulerLockFileName } from './scheduler-lock.js';
export { ServedAddresses } from './served-at.js';
export type { RunTrigger } from './scheduler.js';
