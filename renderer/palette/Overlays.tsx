import { useEffect } from 'react';
import { usePhoton, useServices } from '../lib/app-context.js';
import { NewSessionDialog } from '../sessions/NewSessionDialog.js';
import { CommandPalette } from './CommandPalette.js';
import { startGlobalKeys } from './global-keys.js';
import { ShortcutsDialog } from './ShortcutsDialog.js';

/** What sits over every view: the command palette and the shortcuts list, and the keys that open them. */
export function Overlays() {
  const { store } = useServices();
  useEffect(() => startGlobalKeys(window, store), [store]);
  const newSession = usePhoton((s) => s.overlay === 'new-session');
  return (
    <>
      <CommandPalette />
      <ShortcutsDialog />
      {newSession && <NewSessionDialog onClose={() => store.getState().setOverlay(null)} />}
    </>
  );
}
