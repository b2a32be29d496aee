/**
 * The variables every attempt's process is started with: the step's command can read them, and
 * an engine recovering from a crash finds by them an attempt's process it never recorded.
 */
export function attemptMarks(runId: string, step: number, attempt: number): Record<string, string> {
  return { PHOTON_RUN_ID: runId, PHOTON_STEP: String(step), PHOTON_ATTEMPT: String(attempt) };
}
