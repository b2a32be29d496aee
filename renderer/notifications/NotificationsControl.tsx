import { useEffect, useState } from 'react';
import { useServices } from '../lib/app-context.js';
import { webNotificationApi } from './browser-notifications.js';
import { notificationPreference } from './notification-preference.js';

/**
 * The status bar's switch for browser notifications. The browser is asked for permission only
 * when the user clicks, as browsers expect; the desktop app has its own notifications and no switch.
 */
export function NotificationsControl() {
  const { client } = useServices();
  const api = webNotificationApi();
  const [permission, setPermission] = useState<NotificationPermission>(api?.permission ?? 'denied');
  const [wanted, setWanted] = useState(notificationPreference.wanted);
  const [asking, setAsking] = useState(false);

  // The user may allow or block them in the site settings while the page is open.
  useEffect(() => {
    if (!api || typeof navigator === 'undefined' || !navigator.permissions) return;
    let status: PermissionStatus | undefined;
    let live = true;
    const follow = () => setPermission(api.permission);
    navigator.permissions.query({ name: 'notifications' }).then(
      (result) => {
        if (!live) return;
        status = result;
        status.addEventListener('change', follow);
      },
      () => {},
    );
    return () => {
      live = false;
      status?.removeEventListener('change', follow);
    };
  }, [api]);

  if (!api || client.transport.kind !== 'websocket') return null;

  const choose = (on: boolean) => {
    notificationPreference.wanted = on;
    setWanted(on);
  };
  const enable = async () => {
    setAsking(true);
    try {
      const answer = await api.requestPermission();
      setPermission(answer);
      if (answer === 'granted') choose(true);
    } finally {
      setAsking(false);
    }
  };

  if (permission === 'denied') {
    return (
      <span className="status-item" title="The browser blocks notifications for this address; allow them in its site settings.">
        <BellIcon off /> Notifications blocked by the browser
      </span>
    );
  }
  if (wanted && permission === 'granted') {
    return (
      <span className="status-item">
        <BellIcon /> Notifications on
        <button type="button" className="link-button" onClick={() => choose(false)}>
          Turn off
        </button>
      </span>
    );
  }
  return (
    <button type="button" className="link-button status-item notifications-enable" disabled={asking} onClick={() => void enable()} title="Tell me when a run ends or a step waits for my answer">
      <BellIcon /> Enable notifications
    </button>
  );
}

/** Drawn rather than an emoji, so it shows on systems without an emoji font. */
function BellIcon({ off = false }: { off?: boolean }) {
  return (
    <svg aria-hidden="true" focusable="false" width="12" height="12" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
      <path d="M4 11V7a4 4 0 0 1 8 0v4l1.5 1.5h-11L4 11ZM6.5 14h3" />
      {off && <path d="M2.5 2.5l11 11" />}
    </svg>
  );
}
