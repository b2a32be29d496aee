import type { RunStatus, StepStatus } from '../../shared/runs.js';

export type AnyStatus = RunStatus | StepStatus;

/**
 * Every status has a word and a symbol, so none is told by colour alone. The symbols are ones the
 * common UI fonts draw (⏸ and ⏱ were empty boxes on a stock Debian desktop); the rendering test checks.
 */
const statusInfo: Record<AnyStatus, { label: string; icon: string }> = {
  pending: { label: 'Pending', icon: '○' },
  queued: { label: 'Queued', icon: '◌' },
  running: { label: 'Running', icon: '◔' },
  retrying: { label: 'Retrying', icon: '↻' },
  succeeded: { label: 'Succeeded', icon: '✓' },
  failed: { label: 'Failed', icon: '✕' },
  timed_out: { label: 'Timed out', icon: '◷' },
  cancelled: { label: 'Cancelled', icon: '⊘' },
  skipped: { label: 'Skipped', icon: '↷' },
  interrupted: { label: 'Interrupted', icon: '‖' },
};

/** Every status's symbol, for the check that each one is drawn. */
export const statusIcons: readonly string[] = Object.values(statusInfo).map((info) => info.icon);

export function statusLabel(status: AnyStatus): string {
  return statusInfo[status]?.label ?? status;
}

export function statusIcon(status: AnyStatus): string {
  return statusInfo[status]?.icon ?? '•';
}
