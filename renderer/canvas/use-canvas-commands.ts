import { stepTitle } from '../../shared/workflow.js';
import { useCommandContribution, type PaletteCommand } from '../palette/command-registry.js';
import { shortcutFor } from '../palette/shortcuts.js';
import type { PhotonStore } from '../store/store.js';
import { stepOf } from './graph-model.js';

export interface CanvasCommandHandlers {
  save(): void;
  run(): void;
  layout(): void;
  fit(): void;
  /** Selects the step, brings it into view and gives it the keyboard. */
  goToStep(step: number): void;
  runSteps(step: number, mode: 'only' | 'from'): void;
  toggleFullWindow(): void;
}

/**
 * The open canvas's commands in the palette: its own actions, and each step to go to (by number,
 * label, platform or command: "go to step N" and node search are typing in the palette) or to run.
 */
export function canvasCommands(store: PhotonStore, on: CanvasCommandHandlers): PaletteCommand[] {
  const { canvas } = store.getState();
  const commands: PaletteCommand[] = [
    { id: 'canvas:save', group: 'This workflow', title: 'Save the workflow', shortcut: shortcutFor('Save the workflow'), run: on.save },
    { id: 'canvas:run', group: 'This workflow', title: 'Run the workflow here', keywords: ['start', 'execute'], run: on.run },
    { id: 'canvas:undo', group: 'This workflow', title: 'Undo', shortcut: shortcutFor('Undo'), run: () => store.getState().canvasUndo() },
    { id: 'canvas:redo', group: 'This workflow', title: 'Redo', shortcut: shortcutFor('Redo'), run: () => store.getState().canvasRedo() },
    { id: 'canvas:layout', group: 'This workflow', title: 'Auto-layout the steps', keywords: ['arrange', 'tidy'], run: on.layout },
    { id: 'canvas:fit', group: 'This workflow', title: 'Fit the whole workflow in view', keywords: ['zoom', 'center'], run: on.fit },
    { id: 'canvas:full-window', group: 'This workflow', title: 'Full-window canvas (or leave it)', keywords: ['room', 'maximize', 'focus'], run: on.toggleFullWindow },
    { id: 'canvas:select-all', group: 'This workflow', title: 'Select every step', shortcut: shortcutFor('Select every step'), run: () => store.getState().canvasSelectAll() },
  ];
  const ordered = [...canvas.nodes].sort((a, b) => stepOf(a) - stepOf(b));
  for (const node of ordered) {
    const step = node.data.step;
    const work = typeof step.inputs.command === 'string' ? step.inputs.command : typeof step.inputs.prompt === 'string' ? step.inputs.prompt : '';
    const detail = `${step.platform}${work ? ` · ${work.slice(0, 80)}` : ''}`;
    commands.push({
      id: `step:${step.step}`,
      group: 'Steps',
      title: `Step ${step.step}: ${stepTitle(step)}`,
      detail,
      keywords: [String(step.step), step.agent ?? ''],
      run: () => on.goToStep(step.step),
    });
  }
  for (const node of ordered) {
    const n = stepOf(node);
    commands.push(
      { id: `step-run:${n}`, group: 'This workflow', title: `Run step ${n} alone`, keywords: ['only', 'retry', stepTitle(node.data.step)], run: () => on.runSteps(n, 'only') },
      { id: `step-from:${n}`, group: 'This workflow', title: `Run from step ${n} on`, keywords: ['here', stepTitle(node.data.step)], run: () => on.runSteps(n, 'from') },
    );
  }
  return commands;
}

/** Puts the open canvas's commands into the palette while it is shown. */
export function useCanvasCommands(store: PhotonStore, on: CanvasCommandHandlers): void {
  useCommandContribution('canvas', () => canvasCommands(store, on));
}
