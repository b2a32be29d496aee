import { useEffect, useRef, type RefObject } from 'react';
import type { PhotonStore } from '../store/store.js';

export function isTyping(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return Boolean(element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName)));
}

/**
 * The canvas's keys (see the Canvas section of palette/shortcuts.ts). On the document, so keys
 * work after a click on the empty pane or once the focused node is deleted; only keys aimed at
 * the canvas view (or at nothing in particular) are taken.
 */
export function useCanvasKeys(root: RefObject<HTMLElement | null>, store: PhotonStore, on: { save(): void; closeMenu(): void; leaveFullWindow(): boolean }): void {
  const latest = useRef(on);
  latest.current = on;
  useEffect(() => {
    const state = store.getState;
    const onKeyDown = (event: KeyboardEvent) => {
      const key = event.key.toLowerCase();
      const withMod = event.ctrlKey || event.metaKey;
      if (withMod && key === 's') {
        event.preventDefault();
        latest.current.save();
      } else if (withMod && key === 'z') {
        event.preventDefault();
        if (event.shiftKey) state().canvasRedo();
        else state().canvasUndo();
      } else if (withMod && key === 'y') {
        event.preventDefault();
        state().canvasRedo();
      } else if (withMod && (key === 'f' || key === 'g')) {
        // Find a step, go to step N: the palette, narrowed to this canvas's steps.
        event.preventDefault();
        state().setOverlay('steps');
      } else if (isTyping(event.target)) {
        return;
      } else if (key === 'escape') {
        // The selection goes first; with nothing selected, Escape leaves a full-window canvas.
        latest.current.closeMenu();
        if (state().canvas.nodes.some((n) => n.selected) || state().canvas.edges.some((e) => e.selected)) state().canvasSelect([]);
        else latest.current.leaveFullWindow();
      } else if (key === 'delete' || key === 'backspace') {
        event.preventDefault();
        state().canvasDeleteSelection();
      } else if (withMod && key === 'c') {
        state().canvasCopy();
      } else if (withMod && key === 'v') {
        event.preventDefault();
        state().canvasPaste();
      } else if (withMod && key === 'd') {
        event.preventDefault();
        state().canvasDuplicate();
      } else if (withMod && key === 'a') {
        event.preventDefault();
        state().canvasSelectAll();
      }
    };
    const listener = (event: KeyboardEvent) => {
      const target = event.target as Node | null;
      if (target === document.body || target === document.documentElement || (target && root.current?.contains(target))) onKeyDown(event);
    };
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, [root, store]);
}
