import type { RunsRepository } from '../storage/index.js';
import { identityAlive } from '../terminals/index.js';
import { attemptFoldersIn, earlierAttemptFolder, removeAttemptFolder } from './attempt-folder.js';
import { stopAttemptSurvivors } from './attempt-survivors.js';

/**
 * An engine's start, before it runs anything: the runs an engine that no longer exists left
 * `running` (or queued) become `interrupted`, resumable, once whatever of their processes survived
 * it is stopped. A run whose engine is alive (another Photon on the same data folder) is left alone.
 */
export async function recoverInterruptedRuns(options: { repo: RunsRepository; dataDir: string; killGraceMs: number }, owner: string): Promise<string[]> {
  const { repo } = options;
  const recovered: string[] = [];
  // A run still queued never started: it is left resumable like one that was running.
  for (const run of [...repo.runsWithStatus('running'), ...repo.runsWithStatus('queued')]) {
    if (run.owner && run.owner !== owner && identityAlive(run.owner)) continue;
    const running = repo.attemptsWithStatus(run.id, 'running');
    await Promise.all(running.map((attempt) => stopAttemptSurvivors(run.id, attempt, options.killGraceMs)));
    // The dead engine never removed its attempts' temp folders, those it made ahead for steps about
    // to start, nor the spares its ended attempts left for later ones; nothing uses them now.
    const folders = [
      ...(await attemptFoldersIn(options.dataDir, run.id)),
      ...running.map((attempt) => earlierAttemptFolder(options.dataDir, run.id, attempt.step, attempt.attempt)),
    ];
    await Promise.all(folders.map(removeAttemptFolder));
    const finishedAt = new Date().toISOString();
    repo.transaction(() => {
      for (const attempt of running) {
        repo.updateAttempt(run.id, attempt.step, attempt.attempt, { status: 'cancelled', finishedAt, error: 'interrupted: Photon stopped during this attempt' });
      }
      for (const step of repo.getSteps(run.id)) {
        if (step.status === 'running' || step.status === 'retrying') repo.updateStep(run.id, step.step, { status: 'pending', nextAttemptAt: null });
        // Nothing waits for a budget or a slot in a run that is not running.
        if (step.waitingFor) repo.updateStep(run.id, step.step, { waitingFor: null });
      }
      repo.items.interrupt(run.id);
      repo.updateRun(run.id, { status: 'interrupted', finishedAt });
    });
    recovered.push(run.id);
  }
  return recovered;
}
