import { Command } from 'cmdk';
import { useEffect, useMemo, useRef, useState } from 'react';
import { createNewWorkflow } from '../canvas/new-workflow.js';
import { useServices, usePhoton } from '../lib/app-context.js';
import { reportBackgroundError, reportError } from '../sync/report-error.js';
import { appCommands, type AppCommandHandlers } from './app-commands.js';
import { commandGroups, contributedCommands, type CommandGroup, type PaletteCommand } from './command-registry.js';
import { focusTerminal, showAgentPanel } from './reveal.js';
import { openNewSession } from '../sessions/NewSessionDialog.js';
import './palette.css';

/** What each entry is, in front of its title: with one list ranked by match, the kind shows per row. */
const groupLabel: Record<CommandGroup, string> = {
  Actions: 'Action',
  'This workflow': 'Canvas',
  Steps: 'Step',
  Workflows: 'Workflow',
  Runs: 'Run',
  Sessions: 'Session',
  Agents: 'Agent',
  Terminals: 'Terminal',
};

/**
 * The command palette (cmdk): every action, workflow, run, agent, terminal and, on the canvas,
 * every step, found by typing. Opened with Ctrl/Cmd+K or Ctrl/Cmd+Shift+P (see use-global-keys);
 * `steps` mode lists only the canvas's steps ("go to step N", node search).
 */
export function CommandPalette() {
  const { client, store, actions } = useServices();
  const overlay = usePhoton((s) => s.overlay);
  const open = overlay === 'palette' || overlay === 'steps';
  const dialog = useRef<HTMLDialogElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [search, setSearch] = useState('');

  const handlers: AppCommandHandlers = useMemo(() => {
    const state = () => store.getState();
    const newWorkflow = createNewWorkflow(client, store, actions.navigate);
    return {
      navigate: (route) => void actions.navigate(route),
      newWorkflow: (template) => void newWorkflow(template),
      importWorkflow: () => fileInput.current?.click(),
      newTerminal: () => state().setOverlay('new-terminal'),
      newSession: () => openNewSession(store),
      showTerminal: (id) => {
        state().setActiveTerminal(id);
        focusTerminal(id);
      },
      toggleTerminals: () => state().setTerminalDockOpen(!state().terminals.dockOpen),
      toggleSidebar: () => state().setSidebarCollapsed(!state().sidebarCollapsed),
      showShortcuts: () => state().setOverlay('shortcuts'),
      cancelAllRuns: () => {
        if (!window.confirm('Cancel every running run? Their steps are stopped, background jobs included.')) return;
        client.call('runs.cancelAll').catch((error: unknown) => reportError(store, 'Could not cancel the runs', error));
      },
      showAgent: (id) => {
        if (actions.navigate({ view: 'agents' })) showAgentPanel(id);
      },
      runWorkflow: (id) => void actions.startRun(id),
      cancelRun: (runId) => void actions.cancelRun(runId),
    };
  }, [actions, client, store]);

  // Built when the palette opens, from the state then: it is not live while open, which keeps the list still under the pointer.
  const commands = useMemo<PaletteCommand[]>(() => {
    if (!open) return [];
    const all = [...contributedCommands(), ...appCommands(store.getState(), handlers)].sort((a, b) => commandGroups.indexOf(a.group) - commandGroups.indexOf(b.group));
    return overlay === 'steps' ? all.filter((c) => c.group === 'Steps') : all;
  }, [handlers, open, overlay, store]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      setSearch('');
      element.showModal();
      // The input's autoFocus ran while the dialog was still closed, and showModal then focuses the
      // first focusable element, cmdk's root (tabindex -1): what the user typed went nowhere.
      element.querySelector<HTMLInputElement>('[cmdk-input]')?.focus();
    } else if (!open && element.open) element.close();
  }, [open]);

  // Agents are loaded by their page; the palette lists them from anywhere.
  useEffect(() => {
    if (!open || store.getState().agents.loaded) return;
    client.call('agents.list').then(
      (list) => store.getState().agentsLoaded(list),
      (error: unknown) => reportBackgroundError(store, 'Could not list agents', error),
    );
  }, [client, open, store]);
  const agentCount = usePhoton((s) => s.agents.list.length);

  const close = () => store.getState().setOverlay(null);
  const choose = (command: PaletteCommand) => {
    close();
    // After the dialog has gone, so focus moves where the command puts it, not back to the opener.
    requestAnimationFrame(() => command.run());
  };

  return (
    <>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        onChange={async (event) => {
          const input = event.currentTarget;
          const file = input.files?.[0];
          input.value = '';
          if (file) await actions.importWorkflowFile({ name: file.name, text: await file.text() });
        }}
      />
      <dialog
        ref={dialog}
        className="command-palette"
        aria-label={overlay === 'steps' ? 'Go to a step' : 'Command palette'}
        onCancel={(event) => {
          event.preventDefault();
          close();
        }}
        onClick={(event) => {
          // A click on the backdrop (the dialog element itself, outside its content) closes it.
          if (event.target === event.currentTarget) close();
        }}
      >
        {open && (
          <Command label={overlay === 'steps' ? 'Steps' : 'Commands'} loop key={`${overlay}:${agentCount}`}>
            <Command.Input
              autoFocus
              value={search}
              onValueChange={setSearch}
              placeholder={overlay === 'steps' ? 'Step number, label or command…' : 'Type a command, or a workflow, run, agent, terminal or step…'}
            />
            {/* One list, not cmdk groups: ranked by how well each entry matches, whatever its kind. */}
            <Command.List>
              <Command.Empty>Nothing matches “{search}”.</Command.Empty>
              {commands.map((command) => (
                <Command.Item key={command.id} value={`${command.title} ${command.detail ?? ''} [${command.id}]`} keywords={command.keywords} onSelect={() => choose(command)}>
                  <span className="command-group">{groupLabel[command.group]}</span>
                  <span className="command-title">{command.title}</span>
                  {command.detail && <span className="command-detail">{command.detail}</span>}
                  {command.shortcut && <kbd className="command-shortcut">{command.shortcut}</kbd>}
                </Command.Item>
              ))}
            </Command.List>
          </Command>
        )}
      </dialog>
    </>
  );
}
