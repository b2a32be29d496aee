import { Notification } from 'electron';

/**
 * Shows the desktop's own notifications; a click opens the window at the notification's route.
 * What to say and when is decided in shared/notifications.ts, the same as in the browser host.
 */
export class NativeNotifier {
  // Kept referenced until closed, or some platforms collect them and lose the click.
  private readonly shown = new Set<Notification>();

  constructor(private readonly open: (route?: string) => void) {}

  show(note: { title: string; body: string; route?: string }): void {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title: note.title, body: note.body });
    this.shown.add(notification);
    notification.on('click', () => this.open(note.route));
    notification.on('close', () => this.shown.delete(notification));
    notification.show();
  }
}
