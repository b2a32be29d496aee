import { useMemo, useState } from 'react';
import { parseDiff, type ViewType } from 'react-diff-view';
import 'react-diff-view/style/index.css';
import type { SessionDiff } from '../../shared/sessions.js';
import { DiffFile } from '../workspaces/DiffFile.js';
import { diffFilePath, renderingPlan } from '../workspaces/diff-files.js';
import { saveView, savedView } from '../workspaces/DiffViewer.js';
import { changesText } from '../workspaces/workspace-words.js';
import '../workspaces/diff-viewer.css';
import { editDiff } from './edit-diff.js';

/**
 * An agent's edit drawn by the workspaces' diff files (react-diff-view, highlighted, large files
 * drawn lazily). Loaded on demand, like the workspaces viewer: the highlighter is most of its weight.
 */
export default function SessionEditDiff({ diffs, cwd }: { diffs: readonly SessionDiff[]; cwd: string | null }) {
  const [viewType, setViewType] = useState<ViewType>(savedView);
  const edit = useMemo(() => editDiff(diffs, cwd), [diffs, cwd]);
  const files = useMemo(() => parseDiff(edit.patch, { nearbySequences: 'zip' }), [edit.patch]);
  const stats = useMemo(() => new Map(edit.files.map((f) => [f.path, f])), [edit.files]);
  const plan = useMemo(() => renderingPlan(files.map((f) => stats.get(diffFilePath(f)) ?? { linesAdded: 0, linesRemoved: 0 })), [files, stats]);
  return (
    <div className="diff-viewer session-edit-diff">
      <div className="diff-viewer-bar">
        <p className="diff-viewer-facts">
          <strong>{changesText(edit.totals)}</strong>
        </p>
        <div className="diff-view-switch" role="group" aria-label="Diff layout">
          {(['split', 'unified'] as const).map((view) => (
            <button key={view} type="button" aria-pressed={viewType === view} className="button small" onClick={() => {
                setViewType(view);
                saveView(view);
              }}>
              {view === 'split' ? 'Split' : 'Unified'}
            </button>
          ))}
        </div>
      </div>
      <div className="diff-files" data-view={viewType}>
        {files.map((file, index) => (
          <DiffFile key={`${file.oldPath}\u0000${file.newPath}`} file={file} stat={stats.get(diffFilePath(file))} viewType={viewType} rendering={plan[index]!} />
        ))}
      </div>
    </div>
  );
}
