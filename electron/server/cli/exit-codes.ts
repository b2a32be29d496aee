/** The exit codes of every `photon` command, the contract scripts and CI rely on. */
export const exitCodes = {
  ok: 0,
  /** A run ended without every step succeeding, or an unexpected failure. */
  failed: 1,
  /** Invalid input or usage: a bad workflow file, an unknown flag, a run id that does not exist. */
  usage: 2,
} as const;

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** 128 + the signal's number, the shell's convention (130 after Ctrl-C). */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return 128 + (signalNumbers[signal] ?? 0);
}
