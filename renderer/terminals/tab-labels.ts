import type { MetricsSnapshot } from '../../shared/metrics.js';
import type { TerminalInfo } from '../../shared/terminals.js';

/** A tab's state in words: running, or how it ended. */
export function terminalState(info: TerminalInfo | undefined): string {
  if (!info) return 'connecting';
  if (info.status === 'running') return 'running';
  if (info.signal) return `killed (${info.signal})`;
  return `exit ${info.exitCode ?? '?'}`;
}

/** What an ended terminal's view says under its output, or null while its process runs. */
export function endedText(info: TerminalInfo | undefined): string | null {
  if (!info || info.status === 'running') return null;
  const how = info.signal ? `was killed (${info.signal})` : info.exitCode === null ? 'ended' : `exited with code ${info.exitCode}`;
  return `The process ${how}; the terminal takes no more input.`;
}

export function tabTitle(info: TerminalInfo | undefined): string {
  if (!info) return 'Terminal';
  if (info.owner) return `Step ${info.owner.step} · attempt ${info.owner.attempt}`;
  return info.title;
}

/** Terminal id to the program in its foreground (only terminals running one), from the latest metrics sample. */
export function foregroundPrograms(snapshot: MetricsSnapshot | null): Record<string, string> {
  const programs: Record<string, string> = {};
  for (const tree of snapshot?.processes ?? []) if (tree.foregroundProgram) programs[tree.terminalId] = tree.foregroundProgram;
  return programs;
}
