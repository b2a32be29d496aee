/**
 * Whether the user turned Photon's browser notifications on. The browser's permission alone is
 * not enough: it may have been granted long ago or to another app on this origin, and the user
 * must be able to turn Photon's notifications off without digging into site settings.
 */
export class NotificationPreference {
  static readonly storageKey = 'photon.notifications';
  // Used when storage refuses (private windows, quotas): the choice then lasts as long as the page.
  private unsaved: boolean | undefined;

  /** Without a storage, the page's localStorage, looked up when used. */
  constructor(private readonly given?: Pick<Storage, 'getItem' | 'setItem'>) {}

  private get storage(): Pick<Storage, 'getItem' | 'setItem'> | undefined {
    return this.given ?? defaultStorage();
  }

  get wanted(): boolean {
    if (this.unsaved !== undefined) return this.unsaved;
    try {
      return this.storage?.getItem(NotificationPreference.storageKey) === 'on';
    } catch {
      return false;
    }
  }

  set wanted(wanted: boolean) {
    try {
      if (!this.storage) throw new Error('no storage');
      this.storage.setItem(NotificationPreference.storageKey, wanted ? 'on' : 'off');
      this.unsaved = undefined;
    } catch {
      this.unsaved = wanted;
    }
  }
}

function defaultStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** The page's one preference, shared by the status bar control and the notifier. */
export const notificationPreference = new NotificationPreference();
