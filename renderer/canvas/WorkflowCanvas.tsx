import { ReactFlowProvider, useReactFlow, type Connection, type Edge, type OnConnect } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { memo, useCallback, useEffect, useId, useMemo, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import type { SavedWorkflow } from '../../shared/api.js';
import { isActiveRunStatus } from '../../shared/runs.js';
import { useServices, usePhoton } from '../lib/app-context.js';
import { downloadText } from '../lib/download.js';
import { countRender } from '../lib/render-count.js';
import { sameRoute, type Route } from '../lib/route.js';
import { createCanvasActions } from './canvas-actions.js';
import { CanvasContext, type CanvasViewContext } from './canvas-context.js';
import { ContextMenu, type MenuItem } from './ContextMenu.js';
import { EditorFlow } from './EditorFlow.js';
import { fitFor, fitOpening, fitWhole } from './fit-view.js';
import { stepOf, type StepNode } from './graph-model.js';
import { Inspector } from './Inspector.js';
import { Palette, paletteMime } from './Palette.js';
import { StepList } from './StepList.js';
import { bodyColumns, useCanvasRoom } from './canvas-room.js';
import { CanvasRoomButtons } from './CanvasRoomButtons.js';
import { CanvasRunBanner, CanvasStepOutput } from './CanvasRunParts.js';
import { LastRunOffer } from './LastRunOffer.js';
import { takeRunToShow } from './run-to-show.js';
import { startNodesFirstTabOrder } from './tab-order.js';
import { templates } from './templates/index.js';
import { useCanvasCommands } from './use-canvas-commands.js';
import { useCanvasKeys } from './use-canvas-keys.js';
import './canvas.css';
import './canvas-room.css';

const mod = /Mac|iPhone|iPad/.test(typeof navigator === 'undefined' ? '' : navigator.platform) ? '⌘' : 'Ctrl+';

const leaveQuestion = 'This workflow has unsaved changes. Leave without saving?';

/** True when nothing unsaved would be lost, or the user agrees to lose it. */
function mayLeave(dirty: boolean): boolean {
  return !dirty || window.confirm(leaveQuestion);
}

interface MenuState {
  x: number;
  y: number;
  items: MenuItem[];
}

function Canvas({ workflowId, saved }: { workflowId: string; saved: SavedWorkflow }) {
  countRender('workflow-canvas');
  const { client, store, actions } = useServices();
  const canvasActions = useMemo(() => createCanvasActions(client, store, actions.navigate), [client, store, actions.navigate]);
  const flow = useReactFlow<StepNode, Edge>();
  const opened = usePhoton((s) => s.canvas.workflowId === workflowId);
  const dirty = usePhoton((s) => s.canvas.dirty);
  const message = usePhoton((s) => s.canvas.message);
  const issueCount = usePhoton((s) => s.canvas.issues.count);
  const canUndo = usePhoton((s) => s.canvas.past.length > 0);
  const canRedo = usePhoton((s) => s.canvas.future.length > 0);
  const activeRunId = usePhoton((s) => s.runs.list.find((r) => r.workflowId === workflowId && isActiveRunStatus(r.status))?.runId ?? null);
  const [chosenRunId, setChosenRunId] = useState<string | null>(() => takeRunToShow(workflowId));
  const runId = chosenRunId ?? activeRunId;
  // Whether the run is loaded, not the run: its parts below follow it, so its events do not render the canvas.
  const hasRun = usePhoton((s) => (runId ? s.runs.byId[runId] !== undefined : false));
  const [outputStep, setOutputStep] = useState<number | null>(null);
  const [menu, setMenu] = useState<MenuState | null>(null);
  const [busy, setBusy] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const importId = useId();
  const [room, setRoom] = useCanvasRoom();

  // Opens the saved workflow, unless the canvas already holds this version of it (its own save).
  useEffect(() => {
    const { canvas } = store.getState();
    if (canvas.workflowId === workflowId && (canvas.dirty || canvas.revision === saved.updatedAt)) return;
    store.getState().canvasOpen(workflowId, saved.workflow as never, saved.updatedAt);
    requestAnimationFrame(() => void fitOpening(flow, store.getState().canvas.nodes));
  }, [flow, saved, store, workflowId]);

  // Opening validates already; this catches the engine's platforms arriving (or changing) later.
  const runnableKey = usePhoton((s) => s.system?.runnablePlatforms.join(',') ?? '');
  const checkedWith = useRef(runnableKey);
  useEffect(() => {
    if (checkedWith.current === runnableKey) return;
    checkedWith.current = runnableKey;
    store.getState().canvasRevalidate();
  }, [runnableKey, store]);

  // A run of this workflow that started elsewhere is watched too: its steps are loaded once.
  useEffect(() => {
    if (runId && !store.getState().runs.byId[runId]) void canvasActions.watch(runId);
  }, [canvasActions, runId, store]);

  // Unsaved changes: every way out of this view asks first (links, Back, programmatic navigation),
  // and the browser asks before the page unloads.
  useEffect(() => {
    const here: Route = { view: 'workflow', id: workflowId };
    return actions.guardLeaving((to) => {
      if (sameRoute(to, here) || !store.getState().canvas.dirty) return true;
      if (!mayLeave(true)) return false;
      // "Leave without saving" means it: the draft is dropped, and the saved version opens next time.
      store.getState().canvasDiscard();
      return true;
    });
  }, [actions, store, workflowId]);
  useEffect(() => {
    if (!dirty) return;
    const beforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', beforeUnload);
    return () => window.removeEventListener('beforeunload', beforeUnload);
  }, [dirty]);

  const state = store.getState;

  const save = useCallback(async () => {
    setBusy(true);
    await canvasActions.save();
    setBusy(false);
  }, [canvasActions]);

  const startRun = async () => {
    setBusy(true);
    const started = await canvasActions.run();
    setBusy(false);
    if (started) setChosenRunId(started);
  };

  // The run on show lends the outputs of the steps before: a retry sees what that run's steps printed.
  const runSteps = useCallback(
    async (step: number, mode: 'only' | 'from') => {
      setBusy(true);
      const started = await canvasActions.runSteps([step], mode, runId);
      setBusy(false);
      if (started) setChosenRunId(started);
    },
    [canvasActions, runId],
  );

  const goToStep = useCallback(
    (step: number) => {
      state().canvasSelect([step]);
      void flow.fitView({ nodes: [{ id: String(step) }], maxZoom: 1, minZoom: 0.5, duration: 200 });
      requestAnimationFrame(() => wrapper.current?.querySelector<HTMLElement>(`.react-flow__node[data-id="${step}"]`)?.focus({ preventScroll: true }));
    },
    [flow, state],
  );

  useEffect(() => (wrapper.current ? startNodesFirstTabOrder(wrapper.current) : undefined), []);

  // The problems count leads to the first step with one (its field in the inspector), or to the workflow's own.
  const goToFirstProblem = () => {
    const first = Object.keys(state().canvas.issues.byStep).map(Number).sort((a, b) => a - b)[0];
    setRoom({ inspector: true });
    if (first === undefined) {
      state().canvasSelect([]);
      return;
    }
    goToStep(first);
    requestAnimationFrame(() => requestAnimationFrame(() => root.current?.querySelector<HTMLElement>('.canvas-inspector [aria-invalid="true"]')?.focus()));
  };

  const addAtCenter = (platform: string) => {
    const box = wrapper.current?.getBoundingClientRect();
    const point = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
    state().canvasAddStep(platform, { x: point.x - 110, y: point.y - 38 });
  };

  const onDrop = (event: DragEvent) => {
    const platform = event.dataTransfer.getData(paletteMime);
    if (!platform) return;
    event.preventDefault();
    const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    state().canvasAddStep(platform, { x: point.x - 110, y: point.y - 38 });
  };

  const onConnect: OnConnect = useCallback(
    (connection: Connection) => {
      state().canvasConnect(Number(connection.source), Number(connection.target));
    },
    [state],
  );

  useCanvasKeys(root, store, {
    save: () => void save(),
    closeMenu: () => setMenu(null),
    leaveFullWindow: () => {
      if (!room.fullWindow) return false;
      setRoom({ fullWindow: false });
      return true;
    },
  });

  // Stable from render to render: the graph below re-renders on every drag move, and new
  // handlers would make xyflow re-render every node and edge with it.
  const openMenu = useCallback((event: ReactMouseEvent | MouseEvent, items: MenuItem[]) => {
    event.preventDefault();
    const box = wrapper.current?.getBoundingClientRect();
    setMenu({ x: event.clientX - (box?.left ?? 0), y: event.clientY - (box?.top ?? 0), items });
  }, []);

  const layout = useCallback(() => {
    state().canvasLayout();
    requestAnimationFrame(() => void fitOpening(flow, state().canvas.nodes, 200));
  }, [flow, state]);

  const nodeMenu = useCallback(
    (event: ReactMouseEvent, node: StepNode) => {
      if (!node.selected) state().canvasSelect([stepOf(node)]);
      openMenu(event, [
        { label: 'Run this step alone', run: () => void runSteps(stepOf(node), 'only') },
        { label: 'Run from here', run: () => void runSteps(stepOf(node), 'from') },
        { label: 'Delete', shortcut: 'Del', run: () => state().canvasDeleteSelection() },
        { label: 'Duplicate', shortcut: `${mod}D`, run: () => state().canvasDuplicate() },
        { label: 'Copy', shortcut: `${mod}C`, run: () => state().canvasCopy() },
      ]);
    },
    [openMenu, runSteps, state],
  );

  const edgeMenu = useCallback(
    (event: ReactMouseEvent, edge: Edge) => openMenu(event, [{ label: 'Delete dependency', shortcut: 'Del', run: () => state().canvasDelete([], [edge.id]) }]),
    [openMenu, state],
  );

  const paneMenu = useCallback(
    (event: ReactMouseEvent | MouseEvent) =>
      openMenu(event, [
        { label: 'Paste', shortcut: `${mod}V`, disabled: !state().canvas.clipboard, run: () => state().canvasPaste() },
        { label: 'Select all', shortcut: `${mod}A`, run: () => state().canvasSelectAll() },
        { label: 'Auto-layout', run: layout },
      ]),
    [layout, openMenu, state],
  );

  const importFile = async (file: File) => {
    if (canvasActions.importText(file.name, await file.text())) requestAnimationFrame(() => void fitOpening(flow, state().canvas.nodes));
  };

  const view: CanvasViewContext = useMemo(() => ({ runId, readOnly: false, openOutput: setOutputStep, runSteps: (step, mode) => void runSteps(step, mode) }), [runId, runSteps]);
  useCanvasCommands(store, {
    save: () => void save(),
    run: () => void startRun(),
    layout,
    fit: () => void fitWhole(flow, 200),
    goToStep,
    runSteps: (step, mode) => void runSteps(step, mode),
    toggleFullWindow: () => setRoom({ fullWindow: !room.fullWindow }),
  });
  const hideRun = useCallback(() => setChosenRunId(null), []);
  const closeOutput = useCallback(() => setOutputStep(null), []);
  // Fixed for the workflow that is open, so xyflow's first fit uses it and edits do not refit.
  const initialFit = useMemo(() => fitFor(state().canvas.nodes), [workflowId, opened]);

  return (
    <CanvasContext.Provider value={view}>
      <div className={`canvas-view${room.fullWindow ? ' full-window' : ''}`} ref={root}>
      <div className="canvas-toolbar" role="toolbar" aria-label="Canvas">
        <button type="button" className="button primary" disabled={busy} onClick={() => void save()} aria-keyshortcuts="Control+S Meta+S">
          {dirty ? 'Save*' : 'Save'}
        </button>
        <span className={`canvas-dirty${dirty ? ' shown' : ''}`} role="status">
          {dirty ? 'Unsaved changes' : 'Saved'}
        </span>
        <button type="button" className="button" disabled={busy} onClick={() => void startRun()}>
          <span aria-hidden="true">▶ </span>Run here
        </button>
        <span className="canvas-toolbar-gap" />
        <button type="button" className="button small" disabled={!canUndo} onClick={() => state().canvasUndo()} aria-keyshortcuts="Control+Z">
          Undo
        </button>
        <button type="button" className="button small" disabled={!canRedo} onClick={() => state().canvasRedo()} aria-keyshortcuts="Control+Shift+Z">
          Redo
        </button>
        <button type="button" className="button small" onClick={layout}>
          Auto-layout
        </button>
        <CanvasRoomButtons room={room} setRoom={setRoom} onAdd={addAtCenter} />
        <button type="button" className="button small" onClick={() => downloadText(`${(state().canvas.meta.name || 'workflow').replace(/[^\w-]+/g, '-').toLowerCase()}.json`, canvasActions.exportText(), 'application/json')}>
          Export
        </button>
        <input
          id={importId}
          type="file"
          accept=".json,application/json"
          className="visually-hidden"
          aria-label="Import into the canvas"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            event.currentTarget.value = '';
            if (file) void importFile(file);
          }}
        />
        <label htmlFor={importId} className="button small" aria-hidden="true">
          Import
        </label>
        <select
          className="button small"
          aria-label="New workflow from a template"
          value=""
          onChange={(event) => {
            const template = templates.find((t) => t.id === event.target.value);
            // The new workflow replaces this one on the canvas, so unsaved changes would be lost.
            if (template && mayLeave(state().canvas.dirty)) void canvasActions.createFromTemplate(template);
          }}
        >
          <option value="">New from template…</option>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.title}
            </option>
          ))}
        </select>
        {issueCount > 0 && (
          <button type="button" className="canvas-issues link-button" onClick={goToFirstProblem} title="Go to the first step with a problem">
            <span aria-hidden="true">⚠ </span>
            {issueCount} {issueCount === 1 ? 'problem' : 'problems'}
          </button>
        )}
      </div>
      {runId && hasRun && <CanvasRunBanner runId={runId} chosen={chosenRunId !== null} onHide={hideRun} />}
      {!hasRun && <LastRunOffer workflowId={workflowId} onShow={setChosenRunId} />}
      <div className="canvas-body" style={{ gridTemplateColumns: bodyColumns(room) }}>
        {room.palette && <Palette onAdd={addAtCenter} />}
        <div className="canvas-flow" ref={wrapper} onDragOver={(e) => e.preventDefault()} onDrop={onDrop} data-testid="canvas">
          <EditorFlow runId={runId} initialFit={initialFit} onConnect={onConnect} onNodeContextMenu={nodeMenu} onEdgeContextMenu={edgeMenu} onPaneContextMenu={paneMenu} />
          {message && (
            <div className="canvas-message" role="alert" key={message.id}>
              <span>{message.text}</span>
              <button type="button" className="link-button" aria-label="Dismiss" onClick={() => state().canvasMessage(null)}>
                ✕
              </button>
            </div>
          )}
          {menu && <ContextMenu {...menu} onClose={() => setMenu(null)} />}
        </div>
        {room.inspector && <Inspector />}
      </div>
      {runId && outputStep !== null && <CanvasStepOutput runId={runId} step={outputStep} onClose={closeOutput} />}
      {!room.fullWindow && <StepList />}
      </div>
    </CanvasContext.Provider>
  );
}

/**
 * The workflow canvas: palette, graph, inspector, and the state of a run on it. Memoised: its
 * view renders at every frame of a run's events (the runs listed under it), and the canvas must not.
 */
export const WorkflowCanvas = memo(function WorkflowCanvas(props: { workflowId: string; saved: SavedWorkflow }) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
});
