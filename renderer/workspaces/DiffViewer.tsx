import { useMemo, useState } from 'react';
import { parseDiff, type ViewType } from 'react-diff-view';
import 'react-diff-view/style/index.css';
import type { WorkspaceDiff } from '../../shared/workspace-review.js';
import { diffFilePath, renderingPlan } from './diff-files.js';
import { DiffFile } from './DiffFile.js';
import { changesText } from './workspace-words.js';
import './diff-viewer.css';

const viewKey = 'photon.diffView';

/** The layout the user chose last (split unless they chose unified), for every diff Photon draws. */
export function savedView(): ViewType {
  try {
    return localStorage.getItem(viewKey) === 'unified' ? 'unified' : 'split';
  } catch {
    return 'split';
  }
}

export function saveView(view: ViewType): void {
  try {
    localStorage.setItem(viewKey, view);
  } catch {
    // Private windows may refuse storage; the choice then lasts for this page.
  }
}

/**
 * A diff as a reviewer reads it: every file with its counts, side by side or unified (the choice
 * is remembered), highlighted, with the words changed inside a line marked. Loaded on demand: the
 * highlighter is most of its weight, and most pages never show a diff.
 */
export default function DiffViewer({ diff }: { diff: WorkspaceDiff }) {
  const [viewType, setViewType] = useState<ViewType>(savedView);
  const files = useMemo(() => parseDiff(diff.patch, { nearbySequences: 'zip' }), [diff.patch]);
  const stats = useMemo(() => new Map(diff.files.map((f) => [f.path, f])), [diff.files]);
  const plan = useMemo(() => renderingPlan(files.map((f) => stats.get(diffFilePath(f)) ?? { linesAdded: 0, linesRemoved: 0 })), [files, stats]);

  const choose = (view: ViewType) => {
    setViewType(view);
    saveView(view);
  };

  return (
    <div className="diff-viewer">
      <div className="diff-viewer-bar">
        <p className="diff-viewer-facts">
          <strong>{changesText(diff.totals)}</strong> · {diff.describes} · from <code>{diff.from.slice(0, 8)}</code>
          {diff.to ? (
            <>
              {' '}
              to <code>{diff.to.slice(0, 8)}</code>
            </>
          ) : null}
        </p>
        <div className="diff-view-switch" role="group" aria-label="Diff layout">
          {(['split', 'unified'] as const).map((view) => (
            <button key={view} type="button" aria-pressed={viewType === view} className="button small" onClick={() => choose(view)}>
              {view === 'split' ? 'Split' : 'Unified'}
            </button>
          ))}
        </div>
      </div>
      {files.length === 0 ? (
        <p className="diff-file-note">No changes.</p>
      ) : (
        <div className="diff-files" data-view={viewType}>
          {files.map((file, index) => (
            <DiffFile key={`${file.oldPath}\u0000${file.newPath}`} file={file} stat={stats.get(diffFilePath(file))} viewType={viewType} rendering={plan[index]!} />
          ))}
        </div>
      )}
    </div>
  );
}
