import { readdirSync, readFileSync } from 'node:fs';

/**
 * Live processes started with a run's marks in their environment (PHOTON_RUN_ID): an attempt's
 * process and whatever it started, wherever they went (their own process group, a new session).
 */
export function markedProcesses(runId: string): number[] {
  const mark = `PHOTON_RUN_ID=${runId}`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const state = /\)\s+(\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
        return state !== 'Z' && state !== 'X' && readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(mark);
      } catch {
        return false;
      }
    })
    .map(Number);
}
