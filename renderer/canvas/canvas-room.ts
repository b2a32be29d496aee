import { useEffect, useState } from 'react';

/** Which of the canvas's side panels show, and whether it fills the window. */
export interface CanvasRoom {
  palette: boolean;
  inspector: boolean;
  fullWindow: boolean;
}

const storageKey = 'photon.canvasRoom';

/**
 * Below these widths a panel starts folded, so the graph keeps most of a small window (1000 px
 * wide, or 1280 px at 200 % zoom); a choice the user made is remembered over these.
 */
export function defaultRoom(windowWidth: number): CanvasRoom {
  return { palette: windowWidth >= 1280, inspector: windowWidth >= 900, fullWindow: false };
}

function storedRoom(): Partial<CanvasRoom> {
  try {
    const parsed = JSON.parse(localStorage.getItem(storageKey) ?? '{}') as Partial<CanvasRoom>;
    return { ...(typeof parsed.palette === 'boolean' ? { palette: parsed.palette } : {}), ...(typeof parsed.inspector === 'boolean' ? { inspector: parsed.inspector } : {}) };
  } catch {
    return {};
  }
}

export function useCanvasRoom(): [CanvasRoom, (patch: Partial<CanvasRoom>) => void] {
  const [room, setRoom] = useState<CanvasRoom>(() => ({ ...defaultRoom(window.innerWidth), ...storedRoom() }));
  useEffect(() => {
    // Full window is for now, not for the next time the canvas opens.
    localStorage.setItem(storageKey, JSON.stringify({ palette: room.palette, inspector: room.inspector }));
  }, [room.palette, room.inspector]);
  return [room, (patch) => setRoom((current) => ({ ...current, ...patch }))];
}

/** The grid's columns for the panels shown. */
export function bodyColumns(room: CanvasRoom): string {
  return [room.palette ? '170px' : null, 'minmax(0, 1fr)', room.inspector ? 'clamp(240px, 24vw, 300px)' : null].filter(Boolean).join(' ');
}
