import type { StateCreator } from 'zustand';
import type { RunDetail, RunSummary, StepState } from '../../shared/runs.js';
import type { RunWorkspace } from '../../shared/workspaces.js';
import type { PhotonState } from './store.js';

/** How many recent runs the sidebar keeps. */
export const recentRunsLimit = 50;
/**
 * How much of a step's stored output the store keeps: views show a tail, and an engine output
 * of a megabyte per step must not sit in UI state.
 */
export const storedOutputChars = 16_000;

export interface RunsSlice {
  runs: {
    /** Recent runs, newest first. */
    list: RunSummary[];
    loaded: boolean;
    /** Runs a view has opened, with their steps; kept current by events. */
    byId: Record<string, RunDetail>;
  };
  runsLoaded(list: RunSummary[]): void;
  runLoaded(detail: RunDetail): void;
  /** A `run.updated` event. */
  runUpdated(summary: RunSummary): void;
  /** A `step.updated` event. */
  stepUpdated(runId: string, step: StepState): void;
  /** A `workspace.updated` event. */
  workspaceUpdated(runId: string, workspace: RunWorkspace): void;
  /**
   * Queues a run event to be applied with the others of its frame; true when the queue was
   * empty, so the caller (renderer/sync) schedules one flushRunEvents for the frame. A big run
   * sends thousands of events a second, and one store update each re-rendered every view of the
   * run thousands of times.
   */
  runEventQueued(event: RunEvent): boolean;
  /** Applies every queued event in one store update. */
  flushRunEvents(): void;
}

/** The run events the store follows, as they arrive. */
export type RunEvent =
  | { event: 'run.updated'; payload: RunSummary }
  | { event: 'step.updated'; payload: { runId: string; step: StepState } }
  | { event: 'workspace.updated'; payload: { runId: string; workspace: RunWorkspace } };

type RunsState = RunsSlice['runs'];

const newestFirst = (a: RunSummary, b: RunSummary) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

/** A step as the store keeps it: its stored output cut to its end. */
export function clipStep(step: StepState): StepState {
  if (step.output === null || step.output.length <= storedOutputChars) return step;
  return { ...step, output: `…${step.output.slice(-storedOutputChars)}` };
}

function summaryOf(detail: RunDetail): RunSummary {
  const { workflow: _workflow, steps: _steps, ...summary } = detail;
  return summary;
}

/** Puts a run in the recent list: replaced where it is, or added in date order (the list stays bounded). */
export function upsertSummary(list: readonly RunSummary[], summary: RunSummary, limit = recentRunsLimit): RunSummary[] {
  const index = list.findIndex((r) => r.runId === summary.runId);
  if (index !== -1) return list.map((r, i) => (i === index ? summary : r));
  return [...list, summary].sort(newestFirst).slice(0, limit);
}

export function withRunList(state: RunsState, list: RunSummary[]): RunsState {
  return { ...state, list: [...list].sort(newestFirst).slice(0, recentRunsLimit), loaded: true };
}

export function withRunDetail(state: RunsState, detail: RunDetail): RunsState {
  const inList = state.list.some((r) => r.runId === detail.runId);
  return {
    ...state,
    list: inList || state.loaded ? upsertSummary(state.list, summaryOf(detail)) : state.list,
    byId: { ...state.byId, [detail.runId]: { ...detail, steps: detail.steps.map(clipStep) } },
  };
}

export function withRunSummary(state: RunsState, summary: RunSummary): RunsState {
  const detail = state.byId[summary.runId];
  return {
    ...state,
    list: upsertSummary(state.list, summary),
    byId: detail ? { ...state.byId, [summary.runId]: { ...detail, ...summary } } : state.byId,
  };
}

/** A step's new state into an open run; steps of runs no view holds are not kept. */
export function withStepState(state: RunsState, runId: string, incoming: StepState): RunsState {
  const step = clipStep(incoming);
  const detail = state.byId[runId];
  if (!detail) return state;
  const index = detail.steps.findIndex((s) => s.step === step.step);
  const steps = index === -1 ? [...detail.steps, step].sort((a, b) => a.step - b.step) : detail.steps.map((s, i) => (i === index ? step : s));
  return { ...state, byId: { ...state.byId, [runId]: { ...detail, steps } } };
}

/**
 * Many steps' new states into an open run in one pass: one new steps array however many changed,
 * and the untouched steps keep their objects (so their views do not render again).
 */
export function withStepStates(state: RunsState, runId: string, incoming: readonly StepState[]): RunsState {
  const detail = state.byId[runId];
  if (!detail || incoming.length === 0) return state;
  const latest = new Map<number, StepState>();
  for (const step of incoming) latest.set(step.step, clipStep(step));
  let added = false;
  const steps = detail.steps.map((s) => {
    const next = latest.get(s.step);
    if (!next) return s;
    latest.delete(s.step);
    return next;
  });
  for (const step of latest.values()) {
    steps.push(step);
    added = true;
  }
  if (added) steps.sort((a, b) => a.step - b.step);
  return { ...state, byId: { ...state.byId, [runId]: { ...detail, steps } } };
}

/**
 * A frame's events in arrival order. Consecutive step updates of one run are gathered into one
 * pass over its steps; a run or workspace update between them keeps its place.
 */
export function withRunEvents(state: RunsState, events: readonly RunEvent[]): RunsState {
  let next = state;
  let pendingRun: string | null = null;
  let pendingSteps: StepState[] = [];
  const flushSteps = () => {
    if (pendingRun !== null) next = withStepStates(next, pendingRun, pendingSteps);
    pendingRun = null;
    pendingSteps = [];
  };
  for (const item of events) {
    if (item.event === 'step.updated') {
      if (pendingRun !== item.payload.runId) flushSteps();
      pendingRun = item.payload.runId;
      pendingSteps.push(item.payload.step);
      continue;
    }
    flushSteps();
    if (item.event === 'run.updated') next = withRunSummary(next, item.payload);
    else next = withRunWorkspace(next, item.payload.runId, item.payload.workspace);
  }
  flushSteps();
  return next;
}

/** A run's workspace into an open run (its result branch made, merged or discarded). */
export function withRunWorkspace(state: RunsState, runId: string, workspace: RunWorkspace): RunsState {
  const detail = state.byId[runId];
  if (!detail) return state;
  return { ...state, byId: { ...state.byId, [runId]: { ...detail, workspace } } };
}

export const createRunsSlice: StateCreator<PhotonState, [], [], RunsSlice> = (set) => {
  let queued: RunEvent[] = [];
  /**
   * Every other change applies the queued events first, in the same update: a run fetched after
   * them is newer than they are, and must not be overwritten by them a frame later.
   */
  const caughtUp = (runs: RunsState): RunsState => {
    if (queued.length === 0) return runs;
    const events = queued;
    queued = [];
    return withRunEvents(runs, events);
  };
  return {
    runs: { list: [], loaded: false, byId: {} },
    runsLoaded: (list) => set((s) => ({ runs: withRunList(caughtUp(s.runs), list) })),
    runLoaded: (detail) => set((s) => ({ runs: withRunDetail(caughtUp(s.runs), detail) })),
    runUpdated: (summary) => set((s) => ({ runs: withRunSummary(caughtUp(s.runs), summary) })),
    stepUpdated: (runId, step) => set((s) => ({ runs: withStepState(caughtUp(s.runs), runId, step) })),
    workspaceUpdated: (runId, workspace) => set((s) => ({ runs: withRunWorkspace(caughtUp(s.runs), runId, workspace) })),
    runEventQueued: (event) => {
      queued.push(event);
      return queued.length === 1;
    },
    flushRunEvents: () => {
      if (queued.length > 0) set((s) => ({ runs: caughtUp(s.runs) }));
    },
  };
};
