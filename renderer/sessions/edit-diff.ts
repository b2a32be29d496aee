import { structuredPatch } from 'diff';
import type { SessionDiff } from '../../shared/sessions.js';
import type { FileChange } from '../../shared/workspace-review.js';
import type { ChangeStats } from '../../shared/workspaces.js';

/**
 * An agent's edit as the diff viewer draws it. ACP sends an edit as the file's whole old and new
 * text; the workspaces viewer (react-diff-view) reads git's unified diff, so the texts are diffed
 * here into that format, with the per-file counts the viewer shows beside each file.
 */
export interface EditDiff {
  patch: string;
  files: FileChange[];
  totals: ChangeStats;
}

/** Lines of unchanged text around each change, as `git diff` shows by default. */
const contextLines = 3;

export function editDiff(diffs: readonly SessionDiff[], cwd?: string | null): EditDiff {
  const parts: string[] = [];
  const files: FileChange[] = [];
  for (const diff of diffs) {
    const path = shownPath(diff.path, cwd);
    const added = diff.oldText === null;
    const patch = structuredPatch(path, path, diff.oldText ?? '', diff.newText, '', '', { context: contextLines });
    let linesAdded = 0;
    let linesRemoved = 0;
    const body: string[] = [];
    for (const hunk of patch.hunks) {
      body.push(`@@ -${hunkRange(hunk.oldStart, hunk.oldLines)} +${hunkRange(hunk.newStart, hunk.newLines)} @@`);
      for (const line of hunk.lines) {
        if (line.startsWith('+')) linesAdded++;
        else if (line.startsWith('-')) linesRemoved++;
        body.push(line);
      }
    }
    files.push({ path, status: added ? 'added' : 'modified', linesAdded, linesRemoved, binary: false });
    // An edit that changes nothing still names its file, so the viewer says "no changes" for it.
    if (body.length === 0) continue;
    parts.push(
      [`diff --git a/${path} b/${path}`, ...(added ? ['new file mode 100644', '--- /dev/null'] : [`--- a/${path}`]), `+++ b/${path}`, ...body].join('\n'),
    );
  }
  return {
    patch: parts.length ? `${parts.join('\n')}\n` : '',
    files,
    totals: {
      filesChanged: files.filter((f) => f.linesAdded + f.linesRemoved > 0).length,
      linesAdded: files.reduce((sum, f) => sum + f.linesAdded, 0),
      linesRemoved: files.reduce((sum, f) => sum + f.linesRemoved, 0),
    },
  };
}

/** A path inside the session's folder is shown relative to it, as a diff names files; others stay absolute. */
export function shownPath(path: string, cwd?: string | null): string {
  if (cwd) {
    const folder = cwd.endsWith('/') ? cwd : `${cwd}/`;
    if (path.startsWith(folder)) return path.slice(folder.length);
  }
  return path.replace(/^\/+/, '');
}

// Unified diff writes an empty range as "start,0" where start is the line before it (0 for the file's top).
function hunkRange(start: number, lines: number): string {
  if (lines === 1) return String(start);
  return `${lines === 0 ? Math.max(0, start - 1) : start},${lines}`;
}
