import type { PhotonStore } from '../store/store.js';

/** Where typed characters belong to a field, so single-key shortcuts (`?`) must not fire. */
export function isTypingTarget(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  if (!element || typeof element.closest !== 'function') return false;
  return element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName) || element.closest('.xterm') !== null;
}

/**
 * The app-wide keys: Ctrl/Cmd+K and Ctrl/Cmd+Shift+P open the palette, `?` the shortcuts,
 * Ctrl/Cmd+B folds the sidebar. Listened to in the capture phase, because xterm stops the keys it
 * handles from bubbling; inside a terminal, Ctrl+K and Ctrl+B stay the shell's (kill to the end
 * of the line, back one character) and only Ctrl+Shift+P reaches the palette.
 */
export function startGlobalKeys(scope: Window, store: PhotonStore): () => void {
  const listener = (event: KeyboardEvent) => {
    const { overlay, setOverlay, sidebarCollapsed, setSidebarCollapsed } = store.getState();
    const key = event.key.toLowerCase();
    const mod = event.ctrlKey || event.metaKey;
    const inTerminal = (event.target as HTMLElement | null)?.closest?.('.xterm') != null;
    const macCommand = event.metaKey && !event.ctrlKey;
    if (mod && !event.altKey && ((key === 'k' && !event.shiftKey && (!inTerminal || macCommand)) || (key === 'p' && event.shiftKey))) {
      event.preventDefault();
      event.stopPropagation();
      setOverlay(overlay === 'palette' ? null : 'palette');
    } else if (mod && !event.altKey && !event.shiftKey && key === 'b' && (!inTerminal || macCommand)) {
      event.preventDefault();
      setSidebarCollapsed(!sidebarCollapsed);
    } else if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey && overlay === null && !isTypingTarget(event.target)) {
      event.preventDefault();
      setOverlay('shortcuts');
    }
  };
  scope.addEventListener('keydown', listener, { capture: true });
  return () => scope.removeEventListener('keydown', listener, { capture: true });
}
