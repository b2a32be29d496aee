import type { ProcessEntry } from './process-table.js';

/**
 * The program a terminal is running in its foreground, as its tab names it: the leader of the
 * terminal's foreground process group (`vim`, `npm`, `claude`), or null while the terminal's own
 * process has the foreground (an idle shell at its prompt) or where it cannot be told (Linux
 * only: `ps` gives no foreground group here). `members` is the terminal's tree, its root first.
 */
export function foregroundProgram(members: readonly ProcessEntry[]): string | null {
  const root = members[0];
  const foreground = root?.tpgid;
  if (!root || foreground === undefined || foreground <= 0 || foreground === root.pgrp) return null;
  const group = members.filter((member) => member.pgrp === foreground);
  // The group's leader names a pipeline or a job; when it has already ended, its newest member.
  const leader = group.find((member) => member.pid === foreground) ?? group.at(-1);
  return leader?.name || null;
}
