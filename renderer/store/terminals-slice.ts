import type { StateCreator } from 'zustand';
import type { TerminalInfo } from '../../shared/terminals.js';
import type { PhotonState } from './store.js';

/**
 * The terminal dock's tabs: which terminals are open, in what order, which one shows, and what
 * the engine last said about each. Terminal output never comes in here; it goes straight into
 * xterm (renderer/terminals/).
 */
export interface TerminalsSlice {
  terminals: {
    /** Open tabs, in order: terminal ids. */
    tabs: string[];
    /** The engine's facts about each open tab's terminal, kept current by `terminal.updated`. */
    info: Record<string, TerminalInfo>;
    active: string | null;
    /** Whether the dock shows its terminals (collapsed it keeps only its bar). */
    dockOpen: boolean;
  };
  /** Adds a tab (or finds it), shows it and opens the dock. */
  terminalTabOpened(info: TerminalInfo): void;
  /** Tabs brought back after a reload: only those the engine still has, in their saved order. */
  terminalTabsRestored(infos: TerminalInfo[], active: string | null): void;
  /** A `terminal.updated` event (ignored for terminals without a tab). */
  terminalUpdated(info: TerminalInfo): void;
  terminalTabClosed(id: string): void;
  setActiveTerminal(id: string): void;
  setTerminalDockOpen(open: boolean): void;
}

type TerminalsState = TerminalsSlice['terminals'];

/** A user's own terminal closes for good with its tab; a step's terminal is only stopped being watched. */
export function isStepTerminal(info: TerminalInfo | undefined): boolean {
  return Boolean(info?.owner);
}

export function withTabClosed(state: TerminalsState, id: string): TerminalsState {
  const index = state.tabs.indexOf(id);
  if (index < 0) return state;
  const tabs = state.tabs.filter((tab) => tab !== id);
  const { [id]: _closed, ...info } = state.info;
  // The neighbour to the right takes its place, as in a browser.
  const active = state.active === id ? (tabs[Math.min(index, tabs.length - 1)] ?? null) : state.active;
  return { ...state, tabs, info, active, dockOpen: state.dockOpen && tabs.length > 0 };
}

export const createTerminalsSlice: StateCreator<PhotonState, [], [], TerminalsSlice> = (set) => ({
  terminals: { tabs: [], info: {}, active: null, dockOpen: false },
  terminalTabOpened: (info) =>
    set(({ terminals }) => ({
      terminals: {
        tabs: terminals.tabs.includes(info.id) ? terminals.tabs : [...terminals.tabs, info.id],
        info: { ...terminals.info, [info.id]: info },
        active: info.id,
        dockOpen: true,
      },
    })),
  terminalTabsRestored: (infos, active) =>
    set(({ terminals }) => {
      const tabs = [...terminals.tabs];
      const info = { ...terminals.info };
      for (const terminal of infos) {
        if (!tabs.includes(terminal.id)) tabs.push(terminal.id);
        info[terminal.id] = terminal;
      }
      const shown = active !== null && tabs.includes(active) ? active : (terminals.active ?? tabs[0] ?? null);
      return { terminals: { tabs, info, active: shown, dockOpen: terminals.dockOpen || tabs.length > 0 } };
    }),
  // The same state back for a terminal no tab shows: an empty object would still be a new state,
  // and every step of a run starts and ends a terminal, so each of a big run's thousands of
  // terminal.updated events ran every subscriber's selector (each node's on the canvases).
  terminalUpdated: (info) =>
    set((s) => (s.terminals.tabs.includes(info.id) ? { terminals: { ...s.terminals, info: { ...s.terminals.info, [info.id]: info } } } : s)),
  terminalTabClosed: (id) => set(({ terminals }) => ({ terminals: withTabClosed(terminals, id) })),
  setActiveTerminal: (id) =>
    set(({ terminals }) => (terminals.tabs.includes(id) ? { terminals: { ...terminals, active: id, dockOpen: true } } : {})),
  setTerminalDockOpen: (open) => set(({ terminals }) => ({ terminals: { ...terminals, dockOpen: open } })),
});
