/** Whether keys are written the macOS way (⌘) or with Ctrl. */
export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** "Mod+Shift+Z" as this platform writes it: ⌘⇧Z on macOS, Ctrl+Shift+Z elsewhere. */
export function keyLabel(keys: string): string {
  if (!isMac) return keys.replace(/Mod\+/g, 'Ctrl+');
  return keys
    .replace(/Mod\+/g, '⌘')
    .replace(/Shift\+/g, '⇧')
    .replace(/Alt\+/g, '⌥')
    .replace(/Ctrl\+/g, '⌃');
}

export interface Shortcut {
  /** One or more key combinations, written with `Mod` for Ctrl or ⌘. */
  keys: string[];
  what: string;
}

export interface ShortcutSection {
  where: string;
  shortcuts: Shortcut[];
}

/** Every key the app answers to, in one place: the `?` list shows it and the palette's hints come from it. */
export const shortcutSections: ShortcutSection[] = [
  {
    where: 'Anywhere',
    shortcuts: [
      { keys: ['Mod+K', 'Mod+Shift+P'], what: 'Open the command palette: actions, workflows, runs, agents, terminals, steps' },
      { keys: ['?'], what: 'Show these shortcuts' },
      { keys: ['Mod+B'], what: 'Fold or unfold the sidebar' },
      { keys: ['Esc'], what: 'Close the palette, a dialog or a menu' },
    ],
  },
  {
    where: 'Canvas',
    shortcuts: [
      { keys: ['Mod+S'], what: 'Save the workflow' },
      { keys: ['Mod+Z'], what: 'Undo' },
      { keys: ['Mod+Shift+Z', 'Mod+Y'], what: 'Redo' },
      { keys: ['Mod+C', 'Mod+V'], what: 'Copy and paste steps (pasted steps land beside the originals)' },
      { keys: ['Mod+D'], what: 'Duplicate the selected steps' },
      { keys: ['Mod+A'], what: 'Select every step' },
      { keys: ['Delete'], what: 'Remove the selected steps or dependencies' },
      { keys: ['Esc'], what: 'Clear the selection; with nothing selected, leave full window' },
      { keys: ['Mod+F'], what: 'Find a step by number, label or command' },
      { keys: ['Mod+G'], what: 'Go to step N' },
      { keys: ['Tab', 'Enter'], what: 'Move between steps, then select the focused one' },
      { keys: ['Shift+drag', 'Shift+click'], what: 'Select with a box, add or remove one step' },
    ],
  },
  {
    where: 'Terminal',
    shortcuts: [
      { keys: ['Mod+F'], what: 'Find in the scrollback (Enter, Shift+Enter move between matches)' },
      { keys: ['Ctrl+Shift+C', 'Ctrl+Shift+V'], what: 'Copy and paste (⌘C, ⌘V on macOS)' },
      { keys: ['Ctrl+=', 'Ctrl+-', 'Ctrl+0'], what: 'Font size larger, smaller, back to normal' },
    ],
  },
];

/** The keys of the shortcut whose description starts with `what`, written for this platform. */
export function shortcutFor(what: string): string | undefined {
  for (const section of shortcutSections) {
    const found = section.shortcuts.find((s) => s.what.startsWith(what));
    if (found) return found.keys.map(keyLabel).join(' / ');
  }
  return undefined;
}
