import type { StateCreator } from 'zustand';
import type { ErrorCode } from '../../shared/errors.js';
import type { ValidationIssue } from '../../shared/validate-workflow.js';
import { homeRoute, type Route } from '../lib/route.js';
import type { PhotonState } from './store.js';

/** An error the user must see: what was being done, the engine's code and its message. */
export interface Notice {
  id: number;
  title: string;
  code: ErrorCode | 'client';
  message: string;
}

/** A workflow file that could not be imported, with every issue and its place. */
export interface ImportProblem {
  fileName: string;
  issues: ValidationIssue[];
}

/** A layer over the whole window: the command palette (all of it, or only the canvas's steps), the keyboard shortcuts, the New terminal or New session dialog. */
export type Overlay = 'palette' | 'steps' | 'shortcuts' | 'new-terminal' | 'new-session' | null;

export interface UiSlice {
  route: Route;
  overlay: Overlay;
  /** The sidebar folded away, leaving its width to the main view (the canvas above all). */
  sidebarCollapsed: boolean;
  notices: Notice[];
  importProblem: ImportProblem | null;
  /** Why the open view could not load (e.g. `not_found`), keyed by routeKey. */
  viewErrors: Record<string, { code: string; message: string }>;
  /** Set while a call the user started is in flight, keyed by what it acts on (`run:ID`), so its button can wait. */
  busy: Record<string, true>;
  setRoute(route: Route): void;
  setOverlay(overlay: Overlay): void;
  setSidebarCollapsed(collapsed: boolean): void;
  pushNotice(notice: Omit<Notice, 'id'>): void;
  dismissNotice(id: number): void;
  setImportProblem(problem: ImportProblem | null): void;
  setViewError(key: string, error: { code: string; message: string } | null): void;
  setBusy(key: string, busy: boolean): void;
}

/** The newest notices are kept; an endless error loop must not grow the page without bound. */
export const maxNotices = 5;
let nextNoticeId = 1;

export function routeKey(route: Route): string {
  return 'id' in route ? `${route.view}:${route.id}` : route.view;
}

export function withNotice(notices: readonly Notice[], notice: Omit<Notice, 'id'>): Notice[] {
  return [...notices, { ...notice, id: nextNoticeId++ }].slice(-maxNotices);
}

export const createUiSlice: StateCreator<PhotonState, [], [], UiSlice> = (set) => ({
  route: homeRoute,
  overlay: null,
  sidebarCollapsed: false,
  notices: [],
  importProblem: null,
  viewErrors: {},
  busy: {},
  setRoute: (route) => set({ route }),
  setOverlay: (overlay) => set({ overlay }),
  setSidebarCollapsed: (sidebarCollapsed) => set({ sidebarCollapsed }),
  pushNotice: (notice) => set((s) => ({ notices: withNotice(s.notices, notice) })),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
  setImportProblem: (importProblem) => set({ importProblem }),
  setViewError: (key, error) =>
    set((s) => {
      if (error) return { viewErrors: { ...s.viewErrors, [key]: error } };
      if (!(key in s.viewErrors)) return {};
      const { [key]: _cleared, ...viewErrors } = s.viewErrors;
      return { viewErrors };
    }),
  setBusy: (key, busy) =>
    set((s) => {
      if (busy) return { busy: { ...s.busy, [key]: true } };
      const { [key]: _done, ...rest } = s.busy;
      return { busy: rest };
    }),
});
