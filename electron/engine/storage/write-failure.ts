import { PhotonError } from '../../../shared/errors.js';

/**
 * SQLite's answers that mean "the file cannot take this write now", not "this write is wrong": a
 * full disk, an I/O error, a lock held past the busy timeout, a file made read-only. The engine
 * outlives them (turn-transaction.ts); anything else (a constraint, a bad statement) is a bug and
 * is thrown as before.
 */
const refusals = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_NOMEM', 'SQLITE_PROTOCOL', 'SQLITE_NOLFS'];

export function isWriteRefusal(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && refusals.some((refusal) => code === refusal || code.startsWith(`${refusal}_`));
}

export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * What the user reads when the runs' history could not be written: the file, SQLite's reason, and
 * what to do, then `retry` (a run that was refused as it started is started again, not resumed).
 */
export function historyWriteError(file: string, cause: unknown, retry = 'resume the run'): PhotonError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const code = sqliteCode(cause);
  return new PhotonError('unavailable', `cannot write Photon's history at ${file}: ${reason}; ${fixFor(code ?? '')} and ${retry}`, code ? { sqlite: code } : undefined);
}

/** Whether a write was refused (historyWriteError's error) because the disk is full. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { details?: { sqlite?: unknown } } | null)?.details?.sqlite;
  return typeof code === 'string' && code.startsWith('SQLITE_FULL');
}

function fixFor(code: string): string {
  if (code.startsWith('SQLITE_FULL') || code.startsWith('SQLITE_NOLFS')) return 'free disk space';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return 'another program held its write lock too long (another Photon on the same data folder, or a tool with the file open); close it';
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) return 'make the file and its folder writable by you';
  if (code.startsWith('SQLITE_IOERR')) return 'check the disk it is on (removed, remounted read-only or failing?)';
  return 'wait until Photon can write there again';
}
