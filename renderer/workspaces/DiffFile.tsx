import { memo, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Diff, Hunk, type FileData, type ViewType } from 'react-diff-view';
import type { FileChange } from '../../shared/workspace-review.js';
import { diffFilePath, type FileRendering } from './diff-files.js';
import { highlightHunks } from './diff-highlight.js';

const lines = (n: number): string => `${n.toLocaleString('en-US')} ${n === 1 ? 'line' : 'lines'}`;

const statusWords: Record<string, string> = { add: 'added', delete: 'deleted', modify: 'modified', rename: 'renamed', copy: 'copied' };

interface DiffFileProps {
  file: FileData;
  /** The engine's count for this file (binary or not, lines), when it has one. */
  stat: FileChange | undefined;
  viewType: ViewType;
  rendering: FileRendering;
}

/** Draws the hunks once they are wanted: at once, when scrolled near, or on a click. */
function useShown(rendering: FileRendering, placeholder: React.RefObject<HTMLElement | null>): [boolean, () => void] {
  const [shown, setShown] = useState(rendering === 'now');
  useEffect(() => {
    if (shown || rendering !== 'when-visible' || !placeholder.current) return;
    // A screen ahead, so scrolling at reading speed never meets an empty file.
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setShown(true), { rootMargin: '800px 0px' });
    observer.observe(placeholder.current);
    return () => observer.disconnect();
  }, [placeholder, rendering, shown]);
  return [shown, () => setShown(true)];
}

function DiffFileInner({ file, stat, viewType, rendering }: DiffFileProps) {
  const path = diffFilePath(file);
  const titleId = useId();
  const placeholder = useRef<HTMLDivElement>(null);
  const [shown, show] = useShown(rendering, placeholder);
  const tokens = useMemo(() => (shown ? highlightHunks(file.hunks, path) : null), [file.hunks, path, shown]);
  const added = stat?.linesAdded ?? 0;
  const removed = stat?.linesRemoved ?? 0;
  const binary = stat?.binary ?? Boolean(file.isBinary);

  return (
    <section className="diff-file" aria-labelledby={titleId} data-path={path}>
      <h3 className="diff-file-head" id={titleId}>
        <span className="diff-file-path">{file.type === 'rename' ? `${file.oldPath} → ${file.newPath}` : path}</span>
        <span className="diff-file-status">{statusWords[file.type] ?? file.type}</span>
        {!binary && (
          <span className="diff-file-lines" aria-label={`${lines(added)} added, ${removed} removed`}>
            <span className="diff-added">+{added}</span> <span className="diff-removed">−{removed}</span>
          </span>
        )}
      </h3>
      {binary ? (
        <p className="diff-file-note">Binary file: its contents are not shown.</p>
      ) : file.hunks.length === 0 ? (
        <p className="diff-file-note">{file.type === 'add' ? 'An empty new file.' : file.type === 'delete' ? 'An empty file removed.' : 'Only its mode changed.'}</p>
      ) : shown ? (
        <Diff viewType={viewType} diffType={file.type} hunks={file.hunks} tokens={tokens} optimizeSelection className="diff-table">
          {(hunks) => hunks.map((hunk) => <Hunk key={hunk.content} hunk={hunk} />)}
        </Diff>
      ) : (
        <div className="diff-file-placeholder" ref={placeholder} style={{ minHeight: `${Math.min(added + removed, 200) * 1.5}em` }}>
          {rendering === 'on-request' ? (
            <button type="button" className="button small" onClick={show}>
              Show this file’s diff ({(added + removed).toLocaleString('en-US')} changed lines)
            </button>
          ) : (
            <span className="meta">Drawn when scrolled to…</span>
          )}
        </div>
      )}
    </section>
  );
}

export const DiffFile = memo(DiffFileInner);
