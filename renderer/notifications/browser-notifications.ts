import { createNotificationFeed, type PhotonNotification } from '../../shared/notifications.js';
import type { RendererClient } from '../client/photon-client.js';
import { notificationPreference, type NotificationPreference } from './notification-preference.js';

/** The Web Notifications API as this file uses it. */
export interface WebNotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options?: NotificationOptions): Pick<Notification, 'onclick' | 'close'>;
}

/** Where the notifier shows notifications and what a click brings forward: the page's window. */
export interface NotificationScope {
  Notification?: WebNotificationApi;
  location: { hash: string };
  focus(): void;
}

/** The Web Notifications API of this page, if it has one. */
export function webNotificationApi(scope: Partial<NotificationScope> | undefined = pageScope()): WebNotificationApi | undefined {
  return typeof scope?.Notification === 'function' ? scope.Notification : undefined;
}

/**
 * The browser host's notifications: a run that ends, a step that waits for input and an agent
 * asking for permission, worded as
 * the desktop app words them (shared/notifications.ts). Shown only when the user turned them on
 * and the browser allows them; a click focuses the tab and opens the run. Inside Electron the main
 * process shows the desktop's own notifications, so this stays silent there.
 */
export function syncBrowserNotifications(
  client: RendererClient,
  scope: NotificationScope | undefined = pageScope(),
  options: { preference?: NotificationPreference; since?: number } = {},
): () => void {
  const api = webNotificationApi(scope);
  if (!scope || !api || client.transport.kind !== 'websocket') return () => {};
  const preference = options.preference ?? notificationPreference;
  const allowed = () => preference.wanted && api.permission === 'granted';

  const show = (note: PhotonNotification) => {
    if (!allowed()) return;
    let notification: Pick<Notification, 'onclick' | 'close'>;
    try {
      notification = new api(note.title, { body: note.body, tag: note.tag });
    } catch (error) {
      // Some browsers allow notifications only from a service worker; the page works without them.
      console.warn('photon: could not show a notification:', error);
      return;
    }
    notification.onclick = () => {
      scope.focus();
      scope.location.hash = note.route;
      notification.close();
    };
  };

  // Runs that ended before this page loaded are history, not news.
  const feed = createNotificationFeed({ since: options.since ?? Date.now(), getRun: (runId) => client.call('runs.get', { runId }), show, wanted: allowed });
  const stops = [
    client.on('run.updated', (run) => feed.runUpdated(run)),
    client.on('step.updated', ({ runId, step }) => feed.stepUpdated(runId, step)),
    client.on('step.waiting', (event) => feed.stepWaiting(event)),
    client.on('approval.updated', (item) => feed.approvalUpdated(item)),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}

function pageScope(): NotificationScope | undefined {
  return typeof window === 'undefined' ? undefined : (window as unknown as NotificationScope);
}
