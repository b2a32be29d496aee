import { createContext, useContext } from 'react';

/** What nodes need from the view around them: the run being watched and how to open a step's output. */
export interface CanvasViewContext {
  /** The run whose step states the nodes show, or null while editing. */
  runId: string | null;
  /** A run's own canvas: nothing to edit, so no handles to drag and no validation marks. */
  readOnly: boolean;
  openOutput(step: number): void;
  /** Runs one step alone, or from it on (the editor's canvas only). */
  runSteps?(step: number, mode: 'only' | 'from'): void;
  /** Shows what a step changed in its worktree (a run's canvas with workspaces). */
  openDiff?(step: number): void;
}

export const CanvasContext = createContext<CanvasViewContext>({ runId: null, readOnly: false, openOutput: () => {} });

export function useCanvasView(): CanvasViewContext {
  return useContext(CanvasContext);
}
