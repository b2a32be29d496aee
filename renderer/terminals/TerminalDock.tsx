import { useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { usePhoton } from '../lib/app-context.js';
import { countRender } from '../lib/render-count.js';
import { NewTerminalDialog } from './NewTerminalDialog.js';
import { endedText, foregroundPrograms, tabTitle, terminalState } from './tab-labels.js';
import { TerminalView } from './TerminalView.js';
import { useTerminals } from './use-terminals.js';
import './terminals.css';

const minHeight = 120;
const defaultHeight = 300;

/** The terminal dock under the main view: a bar of tabs, and the shown terminal. */
export function TerminalDock() {
  countRender('terminal-dock');
  const terminals = useTerminals();
  const { tabs, active, dockOpen } = usePhoton(
    useShallow((s) => ({ tabs: s.terminals.tabs, active: s.terminals.active, dockOpen: s.terminals.dockOpen })),
  );
  const info = usePhoton((s) => s.terminals.info);
  // What each terminal runs in its foreground now, from the engine's once-a-second sample.
  const programs = usePhoton(useShallow((s) => foregroundPrograms(s.metrics.snapshot)));
  const setActive = usePhoton((s) => s.setActiveTerminal);
  const setOpen = usePhoton((s) => s.setTerminalDockOpen);
  // In the store, so the command palette can ask for a new terminal too.
  const asking = usePhoton((s) => s.overlay === 'new-terminal');
  const setOverlay = usePhoton((s) => s.setOverlay);
  const setAsking = (ask: boolean) => setOverlay(ask ? 'new-terminal' : null);
  const [height, setHeight] = useState(defaultHeight);
  const dragFrom = useRef<{ y: number; height: number } | null>(null);
  const open = dockOpen && tabs.length > 0;

  return (
    <section className={`terminal-dock${open ? ' is-open' : ''}`} aria-label="Terminals" style={open ? { height } : undefined}>
      {open && (
        <div
          className="terminal-dock-resizer"
          role="separator"
          aria-orientation="horizontal"
          aria-label="Resize terminals"
          // A press on the edge must not take the focus from the terminal being typed in.
          onMouseDown={(event) => event.preventDefault()}
          onPointerDown={(event) => {
            event.currentTarget.setPointerCapture(event.pointerId);
            dragFrom.current = { y: event.clientY, height };
          }}
          onPointerMove={(event) => {
            const from = dragFrom.current;
            if (!from) return;
            const max = Math.max(minHeight, window.innerHeight - 160);
            setHeight(Math.min(max, Math.max(minHeight, from.height + from.y - event.clientY)));
          }}
          onPointerUp={() => (dragFrom.current = null)}
        />
      )}
      <div className="terminal-dock-bar">
        <button
          type="button"
          className="terminal-dock-toggle"
          aria-expanded={open}
          disabled={tabs.length === 0}
          onClick={() => setOpen(!dockOpen)}
          title={open ? 'Hide terminals' : 'Show terminals'}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'} </span>
          Terminals{tabs.length > 0 ? ` (${tabs.length})` : ''}
        </button>
        <div className="terminal-tabs" role="tablist" aria-label="Open terminals">
          {tabs.map((id) => {
            const terminal = info[id];
            const state = terminalState(terminal);
            const title = tabTitle(terminal);
            const selected = id === active;
            return (
              <div key={id} className={`terminal-tab${selected ? ' is-active' : ''} is-${terminal?.status ?? 'running'}`}>
                <button
                  type="button"
                  role="tab"
                  aria-selected={selected}
                  aria-controls={`terminal-panel-${id}`}
                  title={terminal ? `${terminal.title}\n${terminal.cwd}` : undefined}
                  onClick={() => setActive(id)}
                >
                  <span className="terminal-tab-title">{title}</span>
                  {terminal?.status === 'running' && programs[id] && <span className="terminal-tab-program">{programs[id]}</span>}
                  <span className="terminal-tab-state">{state}</span>
                </button>
                <button type="button" className="terminal-tab-close" aria-label={`Close ${title}`} title={terminal?.owner ? 'Stop watching' : 'Close terminal'} onClick={() => void terminals.closeTab(id)}>
                  ×
                </button>
              </div>
            );
          })}
        </div>
        <button type="button" className="button small" onClick={() => setAsking(true)}>
          <span aria-hidden="true">+ </span>New terminal
        </button>
      </div>
      <div className="terminal-dock-body" hidden={!open}>
        {tabs.map((id) => (
          <TerminalView
            key={id}
            id={id}
            shown={open && id === active}
            label={`${tabTitle(info[id])} (${terminalState(info[id])})`}
            ended={endedText(info[id])}
          />
        ))}
      </div>
      {asking && (
        <NewTerminalDialog
          onCancel={() => setAsking(false)}
          onOpen={async (folder, worktree) => {
            await terminals.openNew(folder, worktree);
            setAsking(false);
          }}
        />
      )}
    </section>
  );
}
