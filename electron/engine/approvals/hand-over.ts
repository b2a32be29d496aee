import type { ApprovalAnswer, ApprovalItem } from '../../../shared/approvals.js';
import { PhotonError } from '../../../shared/errors.js';
import type { ApprovalsRepository } from '../storage/index.js';
import { whyClosed } from './approval-items.js';

/*
 * A request is held by the engine whose session asked it; another engine (the CLI answering a run
 * in the app) leaves its answer on the request's row, and the holder applies it when it next polls.
 */

/** How long an answer handed to another engine may wait for it; it polls every {@link handOverPollMs}. */
const handOverLimitMs = 5000;
export const handOverPollMs = 200;

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The answer is on the row: wait until the holding engine applied it (the settled item), or refused
 * it or let it lie past the limit (a conflict naming why; an answer not taken is withdrawn).
 */
export async function awaitHolder(repository: ApprovalsRepository, id: string, answer: ApprovalAnswer, holder: number): Promise<ApprovalItem> {
  const deadline = Date.now() + handOverLimitMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = repository.get(id)!;
    if (now.status !== 'waiting') {
      if (now.answeredBy === 'person' && now.answer === answer) return now;
      throw new PhotonError('conflict', `approval ${id} cannot be answered: ${whyClosed(now)}`);
    }
  }
  repository.withdraw(id);
  throw new PhotonError('conflict', `approval ${id} was not taken: the Photon running its session (process ${holder}) did not apply the answer within ${handOverLimitMs / 1000} s`);
}
