import { useEffect, useRef, useState } from 'react';
import { countRender } from '../lib/render-count.js';
import { useTerminals } from './use-terminals.js';

interface TerminalViewProps {
  id: string;
  /** Whether its tab is the one shown; a hidden terminal keeps taking output. */
  shown: boolean;
  label: string;
  /** How its process ended, in words; null while it runs. */
  ended: string | null;
}

/** "2 of 5", or "No match". */
function findResultText(found: boolean | null, results: { index: number; count: number } | null): string {
  if (found === false || results?.count === 0) return 'No match';
  if (found === null || !results || results.index < 0) return '';
  return `${results.index + 1} of ${results.count}`;
}

/** One tab's terminal: xterm fitted to its box, with a find bar on Ctrl/Cmd+F and, once its process ended, a line saying how. */
export function TerminalView({ id, shown, label, ended }: TerminalViewProps) {
  countRender('terminal-view');
  const terminals = useTerminals();
  const hostRef = useRef<HTMLDivElement>(null);
  const findRef = useRef<HTMLInputElement>(null);
  const [finding, setFinding] = useState(false);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<boolean | null>(null);
  const [results, setResults] = useState<{ index: number; count: number } | null>(null);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const session = terminals.session(id);
    session.mount(host);
    session.onFindRequest = () => {
      setFinding(true);
      requestAnimationFrame(() => findRef.current?.select());
    };
    session.onFindResults = (index, count) => setResults({ index, count });
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => session.fit());
    });
    observer.observe(host);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      session.onFindRequest = undefined;
      session.onFindResults = undefined;
      session.unmount();
    };
  }, [terminals, id]);

  useEffect(() => {
    if (!shown) return;
    const session = terminals.session(id);
    const frame = requestAnimationFrame(() => {
      session.fit();
      session.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [terminals, id, shown]);

  const find = (backwards: boolean, text = query) => {
    if (text === '') setResults(null);
    setFound(text === '' ? null : terminals.session(id).find(text, backwards));
  };
  const closeFind = () => {
    setFinding(false);
    setFound(null);
    setResults(null);
    terminals.session(id).find('');
    terminals.session(id).focus();
  };

  return (
    <div className="terminal-view" id={`terminal-panel-${id}`} role="tabpanel" aria-label={label} hidden={!shown}>
      {finding && (
        <form
          className="terminal-find"
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            find(false);
          }}
        >
          <input
            ref={findRef}
            type="search"
            aria-label="Find in terminal"
            placeholder="Find"
            value={query}
            autoFocus
            onChange={(event) => {
              setQuery(event.target.value);
              find(false, event.target.value);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.preventDefault();
                closeFind();
              } else if (event.key === 'Enter' && event.shiftKey) {
                event.preventDefault();
                find(true);
              }
            }}
          />
          <span className="terminal-find-result" aria-live="polite">
            {findResultText(found, results)}
          </span>
          <button type="button" className="button small" onClick={() => find(true)} aria-label="Previous match">
            ↑
          </button>
          <button type="submit" className="button small" aria-label="Next match">
            ↓
          </button>
          <button type="button" className="button small" onClick={closeFind} aria-label="Close find">
            ×
          </button>
        </form>
      )}
      <div ref={hostRef} className="terminal-host" />
      {ended && (
        <p className="terminal-ended" role="status">
          {ended}
        </p>
      )}
    </div>
  );
}
