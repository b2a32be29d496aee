/**
 * Sizes in bytes as every part of Photon prints them (the dashboard's memory and its chart marks,
 * the Workspaces page, `photon workspaces`), so one number reads the same in the app and in a
 * terminal. 1024-based, as process monitors and `du -h` count, labelled as the dashboard always has.
 */

const units = ['B', 'KB', 'MB', 'GB', 'TB'];

/** "512 B", "1.50 KB", "300 MB", "1.40 GB"; "—" when nothing (or nothing sensible) is known. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${units[unit]}`;
}
