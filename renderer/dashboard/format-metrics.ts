/** Numbers as the dashboard prints them: short, with their unit, "—" for nothing known. */

// The same sizes as the Workspaces page and `photon workspaces` print, so memory and disk read alike.
export { formatBytes } from '../../shared/byte-text.js';

/** "37 %", "0.4 %", "250 %" (a process on more than one core). */
export function formatPercent(percent: number | null | undefined): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return '—';
  return `${percent >= 10 || percent === 0 ? Math.round(percent) : percent.toFixed(1)} %`;
}

/** A share between 0 and 1 as a percentage: "92 %". */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  return `${Math.round(rate * 100)} %`;
}

/** "950", "12.3k", "4.1M". */
export function formatCount(count: number | null | undefined): string {
  if (count === null || count === undefined || !Number.isFinite(count)) return '—';
  const abs = Math.abs(count);
  if (abs < 1000) return String(Math.round(count));
  if (abs < 1_000_000) return `${(count / 1000).toFixed(abs < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(abs < 10_000_000 ? 1 : 0)}M`;
}
