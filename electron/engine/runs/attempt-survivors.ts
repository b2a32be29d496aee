import type { AttemptRow } from '../storage/index.js';
import { identityAlive, sessionLeaderWithEnvironment, stopMarkedProcesses, terminateProcessGroup } from '../terminals/index.js';
import { attemptMarks } from './attempt-marks.js';

/**
 * Stops whatever an attempt left running when its engine died. The leader usually dies on the
 * hang-up its terminal gets with the engine, while what it started lives on: a `nohup` job, a job
 * ignoring SIGHUP, one that left with `setsid`. So beside the leader's group (the recorded process,
 * or the one found by its marks if the engine died before recording it), every process carrying
 * the attempt's marks is stopped, whether or not the leader still lives (Linux; elsewhere only the
 * live leader's group can be reached).
 */
export async function stopAttemptSurvivors(runId: string, attempt: Pick<AttemptRow, 'step' | 'attempt' | 'process'>, graceMs: number): Promise<void> {
  const marks = attemptMarks(runId, attempt.step, attempt.attempt);
  // A recorded leader that is gone leaves no group to signal safely: its pid may belong to another process by now.
  const leader = attempt.process
    ? identityAlive(attempt.process)
      ? Number(attempt.process.split(':')[0])
      : undefined
    : // Started, but the engine died before it recorded the process.
      sessionLeaderWithEnvironment(marks);
  await Promise.all([leader !== undefined ? terminateProcessGroup(leader, graceMs) : undefined, stopMarkedProcesses(marks, graceMs)]);
}
