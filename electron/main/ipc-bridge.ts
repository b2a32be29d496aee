import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { EventEnvelope, MethodName, ReplyEnvelope } from '../../shared/api.js';
import { ipcChannels } from '../../shared/bridge.js';
import type { Engine } from '../engine/index.js';
import { IpcClients } from './ipc-clients.js';
import { checkInvokeRequest } from './invoke-request.js';
import type { MainWindow } from './main-window.js';
import { isAllowedSender } from './sender-policy.js';

export interface IpcBridgeOptions {
  /** The in-process engine, or a running daemon's (electron/server/daemon). */
  engine: Pick<Engine, 'dispatch' | 'onAny' | 'isAttached' | 'clientDisconnected'>;
  window: MainWindow;
  appUrl: string;
  /** Called after a method succeeded, for host duties that follow it (the tray's workflow list). */
  afterCall?: (method: MethodName) => void;
}

/**
 * Puts the engine's contract on IPC: requests from our window's own page go to engine.dispatch as
 * that page's own client, and engine events go to the window (a terminal's output only while the
 * page is attached to it). Returns a function that takes it off again.
 */
export function startIpcBridge({ engine, window, appUrl, afterCall }: IpcBridgeOptions): () => void {
  const clients = new IpcClients((clientId) => engine.clientDisconnected(clientId));
  ipcMain.handle(ipcChannels.invoke, async (event: IpcMainInvokeEvent, request: unknown): Promise<ReplyEnvelope> => {
    if (!senderIsOurPage(event, window, appUrl)) {
      console.warn(`photon: refused an IPC request from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
      return { id: null, ok: false, error: { code: 'unauthorized', message: 'this page may not call Photon' } };
    }
    const checked = checkInvokeRequest(request);
    if (!checked.ok) return checked.reply;
    const reply = await engine.dispatch(checked.request, { clientId: clients.clientOf(event.sender) });
    if (reply.ok) afterCall?.(checked.request.method as MethodName);
    return reply;
  });

  const unsubscribe = engine.onAny((envelope: EventEnvelope) => {
    const contents = window.current?.webContents;
    if (!contents || contents.isDestroyed() || contents.isCrashed()) return;
    if (envelope.event === 'terminal.data') {
      // Output can run to megabytes a second; a page that does not show the terminal has no use for it.
      const clientId = clients.existing(contents);
      const { id } = (envelope as EventEnvelope<'terminal.data'>).payload;
      if (clientId === undefined || !engine.isAttached(id, clientId)) return;
    }
    contents.send(ipcChannels.event, envelope);
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(ipcChannels.invoke);
  };
}

/** The sender must be our window's top frame, showing the app's own page. */
function senderIsOurPage(event: IpcMainInvokeEvent, window: MainWindow, appUrl: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return window.owns(event.sender) && isAllowedSender(frame.url, appUrl);
}
