import type { WebContents } from 'electron';

/** What the client registry needs of a page's web contents (Electron's, or a test's stand-in). */
export type PageContents = Pick<WebContents, 'id' | 'on'>;

/**
 * The engine's clients on IPC: one per page load. Per-client state in the engine (a terminal's
 * flow control counts each attached client's unacknowledged output) must end with the page that
 * held it: a window that closed, crashed or loaded a new page acknowledges nothing any more, and
 * if it still counted it would pause its terminals for good once their output passed the window.
 * So each page gets its own client id, and `release` is called when that page is gone.
 */
export class IpcClients {
  private readonly current = new Map<number, string>();
  private readonly watched = new WeakSet<PageContents>();
  private loads = 0;

  constructor(private readonly release: (clientId: string) => void) {}

  /** The client id of the page `contents` shows now. */
  clientOf(contents: PageContents): string {
    const known = this.current.get(contents.id);
    if (known) return known;
    const clientId = `ipc-${contents.id}-${++this.loads}`;
    this.current.set(contents.id, clientId);
    if (!this.watched.has(contents)) {
      this.watched.add(contents);
      const gone = () => this.end(contents.id);
      contents.on('destroyed', gone);
      contents.on('render-process-gone', gone);
      // A new document in the main frame is a new page; moves between the app's routes are in-page.
      contents.on('did-navigate', gone);
    }
    return clientId;
  }

  /** The client id of the page `contents` shows, if it has made a call since it loaded. */
  existing(contents: PageContents): string | undefined {
    return this.current.get(contents.id);
  }

  private end(contentsId: number): void {
    const clientId = this.current.get(contentsId);
    if (clientId === undefined) return;
    this.current.delete(contentsId);
    try {
      this.release(clientId);
    } catch (error) {
      console.error('photon: releasing a closed page failed:', error);
    }
  }
}
