/** What the terminal dock remembers in localStorage: open tabs, recent folders, font size. */

const keys = {
  tabs: 'photon.terminals.tabs',
  folders: 'photon.terminals.recentFolders',
  fontSize: 'photon.terminals.fontSize',
} as const;

export const maxRecentFolders = 8;
export const defaultFontSize = 13;
export const minFontSize = 8;
export const maxFontSize = 32;

/** Storage may be missing or refuse (private windows, quotas): the dock works without it. */
function read(storage: Storage | undefined, key: string): unknown {
  try {
    const text = storage?.getItem(key);
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

function write(storage: Storage | undefined, key: string, value: unknown): void {
  try {
    storage?.setItem(key, JSON.stringify(value));
  } catch {
    // Not remembered; nothing else depends on it.
  }
}

function defaultStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

export interface SavedTabs {
  ids: string[];
  active: string | null;
}

export function loadTabs(storage = defaultStorage()): SavedTabs {
  const value = read(storage, keys.tabs) as Partial<SavedTabs> | null;
  const ids = Array.isArray(value?.ids) ? value.ids.filter((id): id is string => typeof id === 'string') : [];
  const active = typeof value?.active === 'string' && ids.includes(value.active) ? value.active : null;
  return { ids, active };
}

export function saveTabs(tabs: SavedTabs, storage = defaultStorage()): void {
  write(storage, keys.tabs, tabs);
}

export function loadRecentFolders(storage = defaultStorage()): string[] {
  const value = read(storage, keys.folders);
  return Array.isArray(value) ? value.filter((f): f is string => typeof f === 'string' && f !== '').slice(0, maxRecentFolders) : [];
}

/** Puts a folder first in the recent list (once), keeping the list short. */
export function rememberFolder(folder: string, storage = defaultStorage()): string[] {
  const trimmed = folder.trim();
  const folders = loadRecentFolders(storage);
  if (trimmed === '') return folders;
  const next = [trimmed, ...folders.filter((f) => f !== trimmed)].slice(0, maxRecentFolders);
  write(storage, keys.folders, next);
  return next;
}

export function clampFontSize(size: number): number {
  return Number.isFinite(size) ? Math.min(maxFontSize, Math.max(minFontSize, Math.round(size))) : defaultFontSize;
}

export function loadFontSize(storage = defaultStorage()): number {
  const value = read(storage, keys.fontSize);
  return typeof value === 'number' ? clampFontSize(value) : defaultFontSize;
}

export function saveFontSize(size: number, storage = defaultStorage()): void {
  write(storage, keys.fontSize, clampFontSize(size));
}
