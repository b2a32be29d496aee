import { useEffect } from 'react';
import { useServices } from '../lib/app-context.js';
import { CommandPalette } from './CommandPalette.js';
import { startGlobalKeys } from './global-keys.js';
import { ShortcutsDialog } from './ShortcutsDialog.js';

/** What sits over every view: the command palette and the shortcuts list, and the keys that open them. */
export function Overlays() {
  const { store } = useServices();
  useEffect(() => startGlobalKeys(window, store), [store]);
  return (
    <>
      <CommandPalette />
      <ShortcutsDialog />
    </>
  );
}
