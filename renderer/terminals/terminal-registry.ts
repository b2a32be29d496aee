import { PhotonError } from '../../shared/errors.js';
import type { TerminalInfo } from '../../shared/terminals.js';
import type { RendererClient } from '../client/photon-client.js';
import type { PhotonStore } from '../store/store.js';
import { isStepTerminal } from '../store/terminals-slice.js';
import { errorBody, reportBackgroundError, reportError } from '../sync/report-error.js';
import { closeQuestion } from './close-question.js';
import { freshTreeOf, treeOf } from './process-tree.js';
import { clampFontSize, defaultFontSize, loadFontSize, loadTabs, rememberFolder, saveFontSize, saveTabs } from './preferences.js';
import { onTerminalOutput } from './terminal-output.js';
import { TerminalSession } from './terminal-session.js';
import { onSchemeChange, readTheme } from './theme.js';

/** The dock's terminals and what the user can do with them. */
export interface TerminalRegistry {
  /** The live session of an open tab (made on first use, attached whenever the link is open). */
  session(id: string): TerminalSession;
  /** Starts the user's shell in `folder` (the home folder when empty) in a new tab. */
  /** `worktree`: in a new worktree of the folder's repository (terminals.create's worktree option). */
  openNew(folder: string, worktree?: boolean): Promise<void>;
  /** Opens the terminal of a step's latest attempt in a tab. */
  openForStep(runId: string, step: number): Promise<void>;
  /**
   * Closes a tab: a user's terminal is closed in the engine (after asking, when that would stop a
   * program), a step's is only detached from.
   */
  closeTab(id: string): Promise<void>;
  zoom(step: 1 | -1 | 0): void;
  stop(): void;
}

const registries = new WeakMap<PhotonStore, TerminalRegistry>();

/** The one registry of an app (store and client), made on first use. */
export function terminalRegistry(client: RendererClient, store: PhotonStore): TerminalRegistry {
  let registry = registries.get(store);
  if (!registry) registries.set(store, (registry = createTerminalRegistry(client, store)));
  return registry;
}

export function createTerminalRegistry(client: RendererClient, store: PhotonStore): TerminalRegistry {
  const sessions = new Map<string, TerminalSession>();
  const state = () => store.getState();
  let fontSize = loadFontSize();
  let theme = readTheme();
  /** Saved tabs are written only after they were read back, so a reload never forgets them. */
  let restored = false;

  const attach = (session: TerminalSession): void => {
    if (!session.pipe.isDetached || client.transport.state().status !== 'open') return;
    session.pipe.attach().then(
      (info) => {
        if (!info) return;
        state().terminalUpdated(info);
        session.update(info);
      },
      (error: unknown) => {
        if (errorBody(error).code === 'not_found') state().terminalTabClosed(session.id);
        else reportBackgroundError(store, 'Could not attach to the terminal', error);
      },
    );
  };

  /** After every (re)connect: bring back saved tabs once, refresh the rest, re-attach. */
  const catchUp = async (): Promise<void> => {
    let list: TerminalInfo[];
    try {
      list = await client.call('terminals.list');
    } catch (error) {
      reportBackgroundError(store, 'Could not list terminals', error);
      return;
    }
    const byId = new Map(list.map((info) => [info.id, info]));
    if (!restored) {
      const saved = loadTabs();
      restored = true;
      state().terminalTabsRestored(
        saved.ids.map((id) => byId.get(id)).filter((info): info is TerminalInfo => info !== undefined),
        saved.active,
      );
    }
    for (const id of state().terminals.tabs) {
      const info = byId.get(id);
      // The engine restarted or forgot it: its tab has nothing left to show.
      if (!info) state().terminalTabClosed(id);
      else state().terminalUpdated(info);
    }
    for (const session of sessions.values()) attach(session);
  };

  const stops = [
    onTerminalOutput(client, (id, data, chars) => sessions.get(id)?.pipe.receive(data, chars)),
    client.on('terminal.updated', (info) => {
      state().terminalUpdated(info);
      sessions.get(info.id)?.update(info);
    }),
    client.transport.onState((link) => {
      if (link.status === 'open') void catchUp();
      else for (const session of sessions.values()) session.pipe.linkLost();
    }),
    store.subscribe((now, before) => {
      const { tabs, active } = now.terminals;
      if (tabs === before.terminals.tabs && active === before.terminals.active) return;
      for (const [id, session] of sessions) {
        if (tabs.includes(id)) continue;
        sessions.delete(id);
        session.dispose();
      }
      if (restored) saveTabs({ ids: tabs, active });
    }),
    onSchemeChange(() => {
      theme = readTheme();
      for (const session of sessions.values()) session.setTheme(theme);
    }),
  ];
  if (client.transport.state().status === 'open') void catchUp();

  const zoom = (step: 1 | -1 | 0): void => {
    fontSize = step === 0 ? defaultFontSize : clampFontSize(fontSize + step);
    saveFontSize(fontSize);
    for (const session of sessions.values()) session.setFontSize(fontSize);
  };

  const sizeHint = (): { cols?: number; rows?: number } => {
    const active = state().terminals.active;
    const shown = active ? sessions.get(active) : undefined;
    return shown ? { cols: Math.max(2, shown.term.cols), rows: Math.max(1, shown.term.rows) } : {};
  };

  return {
    session(id) {
      let session = sessions.get(id);
      if (!session) {
        session = new TerminalSession(id, client, { fontSize, theme, onZoom: zoom });
        sessions.set(id, session);
        const info = state().terminals.info[id];
        if (info) session.update(info);
        attach(session);
      }
      return session;
    },

    async openNew(folder, worktree = false) {
      const cwd = folder.trim();
      try {
        const info = await client.call('terminals.create', { ...(cwd === '' ? {} : { cwd }), ...(worktree ? { worktree: {} } : {}), ...sizeHint() });
        if (cwd !== '') rememberFolder(cwd);
        state().terminalTabOpened(info);
      } catch (error) {
        reportError(store, 'Could not open a terminal', error);
        throw error;
      }
    },

    async openForStep(runId, step) {
      try {
        const info = await client.call('terminals.forStep', { runId, step });
        if (!info) {
          throw new PhotonError('not_found', `The engine no longer holds the terminal of step ${step}; its stored output is shown with the step.`);
        }
        state().terminalTabOpened(info);
        sessions.get(info.id)?.focus();
      } catch (error) {
        reportError(store, `Could not open the terminal of step ${step}`, error);
      }
    },

    async closeTab(id) {
      const info = state().terminals.info[id];
      let tree = treeOf(store, id);
      // A shell's last sample may predate its prompt (its start-up files were still running
      // programs): a shell is said to be busy only when a sample taken after the click agrees.
      if (info?.command === null && closeQuestion(info, tree)) tree = await freshTreeOf(store, id);
      const question = closeQuestion(info, tree);
      if (question && !window.confirm(question)) return;
      try {
        if (isStepTerminal(info)) await sessions.get(id)?.pipe.detach();
        else await client.call('terminals.close', { id });
      } catch (error) {
        // Already gone from the engine: the tab just goes.
        if (errorBody(error).code !== 'not_found') {
          reportError(store, 'Could not close the terminal', error);
          return;
        }
      }
      state().terminalTabClosed(id);
    },

    zoom,

    stop() {
      for (const stop of stops) stop();
      for (const session of sessions.values()) session.dispose();
      sessions.clear();
      registries.delete(store);
    },
  };
}
