import type { RunStatus, StepStatus } from '../../shared/runs.js';

export type AnyStatus = RunStatus | StepStatus;

/** Every status has a word and a symbol, so none is told by colour alone. */
const statusInfo: Record<AnyStatus, { label: string; icon: string }> = {
  pending: { label: 'Pending', icon: '○' },
  running: { label: 'Running', icon: '◔' },
  retrying: { label: 'Retrying', icon: '↻' },
  succeeded: { label: 'Succeeded', icon: '✓' },
  failed: { label: 'Failed', icon: '✕' },
  timed_out: { label: 'Timed out', icon: '⏱' },
  cancelled: { label: 'Cancelled', icon: '⊘' },
  skipped: { label: 'Skipped', icon: '↷' },
  interrupted: { label: 'Interrupted', icon: '⏸' },
};

export function statusLabel(status: AnyStatus): string {
  return statusInfo[status]?.label ?? status;
}

export function statusIcon(status: AnyStatus): string {
  return statusInfo[status]?.icon ?? '•';
}
