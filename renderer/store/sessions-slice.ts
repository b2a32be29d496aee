import type { StateCreator } from 'zustand';
import type { SessionEntry, SessionInfo } from '../../shared/sessions.js';
import type { PhotonState } from './store.js';

/** A session as the view holds it: its state and its conversation. `stale` asks sync to read it again. */
export interface ShownSession {
  info: SessionInfo;
  entries: SessionEntry[];
  stale: boolean;
}

export interface SessionsSlice {
  sessions: Record<string, ShownSession>;
  sessionLoaded(info: SessionInfo, entries: SessionEntry[]): void;
  /** The engine's list: each session's state (conversations are read by the views that show them). */
  sessionsListed(list: readonly SessionInfo[]): void;
  sessionUpdated(info: SessionInfo): void;
  /** Events may have been missed (the link dropped): every conversation is read again when shown. */
  sessionsStale(): void;
  sessionEntry(sessionId: string, index: number, entry: SessionEntry): void;
}

/**
 * Applies one conversation event: an entry at the end is added, one already held (a message
 * growing, a tool call changing status) replaced. An index past the end means events were missed
 * (the link dropped, or the engine dropped its oldest entries): the session is marked stale so it
 * is read whole again rather than shown with a hole.
 */
export function withEntry(session: ShownSession, index: number, entry: SessionEntry): ShownSession {
  if (index < session.entries.length) {
    const entries = session.entries.slice();
    entries[index] = entry;
    return { ...session, entries };
  }
  if (index === session.entries.length) return { ...session, entries: [...session.entries, entry] };
  return { ...session, stale: true };
}

export const createSessionsSlice: StateCreator<PhotonState, [], [], SessionsSlice> = (set) => ({
  sessions: {},
  sessionLoaded: (info, entries) => set((s) => ({ sessions: { ...s.sessions, [info.id]: { info, entries, stale: false } } })),
  sessionsListed: (list) =>
    set((s) => {
      const sessions = { ...s.sessions };
      for (const info of list) sessions[info.id] = sessions[info.id] ? { ...sessions[info.id]!, info } : { info, entries: [], stale: true };
      return { sessions };
    }),
  sessionsStale: () => set((s) => ({ sessions: Object.fromEntries(Object.entries(s.sessions).map(([id, held]) => [id, { ...held, stale: true }])) })),
  sessionUpdated: (info) =>
    set((s) => {
      const held = s.sessions[info.id];
      // A session never read whole yet starts empty and stale, so its view reads the conversation.
      return { sessions: { ...s.sessions, [info.id]: held ? { ...held, info } : { info, entries: [], stale: true } } };
    }),
  sessionEntry: (sessionId, index, entry) =>
    set((s) => {
      const held = s.sessions[sessionId];
      if (!held) return s;
      return { sessions: { ...s.sessions, [sessionId]: withEntry(held, index, entry) } };
    }),
});
