/**
 * A Chromium page driven over the DevTools protocol with nothing but the Runtime and Input domains.
 *
 * Playwright enables the Network domain on every page it attaches to, and Chromium then copies each
 * WebSocket frame's payload into a `Network.webSocketFrameReceived` event: the page serializes it,
 * the browser process forwards it and the driver parses it. At terminal floods of 15 MB/s that is
 * work a user's app never does, on the same two cores as what is measured; a benchmark of the
 * WebSocket path drives the page through this instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { chromiumPath } from '../../test/e2e/support/chromium.js';

interface Reply {
  id: number;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export class CdpPage {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(result: Record<string, unknown>): void; reject(error: Error): void }>();
  private readonly listeners = new Map<string, Set<(params: Record<string, unknown>) => void>>();

  private constructor(
    private readonly browser: ChildProcess,
    private readonly socket: WebSocket,
    private readonly profileDir: string,
  ) {
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as Reply & { method?: string; params?: Record<string, unknown> };
      if (message.method !== undefined) {
        for (const listener of [...(this.listeners.get(message.method) ?? [])]) listener(message.params ?? {});
        return;
      }
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result ?? {});
    });
  }

  /** Starts headless Chromium (the flags of the end-to-end tests) on a blank page and connects to it. */
  static async launch(viewport = { width: 1280, height: 800 }): Promise<CdpPage> {
    const profileDir = mkdtempSync(join(tmpdir(), 'photon-cdp-'));
    const browser = spawn(
      chromiumPath,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--window-size=${viewport.width},${viewport.height}`,
        `--user-data-dir=${profileDir}`,
        '--remote-debugging-port=0',
        'about:blank',
      ],
      // Its own process group, so closing it ends the helper processes that write to the profile too.
      { stdio: 'ignore', detached: true },
    );
    const port = await waitForPort(profileDir);
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { type: string; webSocketDebuggerUrl: string }[];
    const target = targets.find((t) => t.type === 'page');
    if (!target) throw new Error('Chromium opened no page');
    const socket = new WebSocket(target.webSocketDebuggerUrl, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const page = new CdpPage(browser, socket, profileDir);
    await page.send('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 1, mobile: false });
    return page;
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Calls `listener` with the parameters of each DevTools event named `method` (e.g. Tracing.tracingComplete) until the returned function is called. */
  on(method: string, listener: (params: Record<string, unknown>) => void): () => void {
    let set = this.listeners.get(method);
    if (!set) this.listeners.set(method, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }

  /** Chromium's own process, which leads the process group of all its helpers (renderer, GPU, network). */
  get browserPid(): number {
    return this.browser.pid!;
  }

  async goto(url: string): Promise<void> {
    await this.send('Page.navigate', { url });
  }

  /** Evaluates an expression in the page (awaiting a promise it returns) and returns its value. */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = (await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as {
      result: { value?: T };
      exceptionDetails?: { exception?: { description?: string }; text: string };
    };
    if (reply.exceptionDetails) throw new Error(reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text);
    return reply.result.value as T;
  }

  /** Types text into the focused element: characters as text input, a newline as the Enter key. */
  async type(text: string): Promise<void> {
    for (const [index, part] of text.split('\n').entries()) {
      if (index > 0) await this.press('Enter');
      if (part !== '') await this.send('Input.insertText', { text: part });
    }
  }

  /** Presses Enter or Ctrl+<letter>. */
  async press(key: 'Enter' | `Control+${string}`): Promise<void> {
    const event: { key: string; code: string; windowsVirtualKeyCode: number; modifiers: number; text?: string } =
      key === 'Enter'
        ? { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r', modifiers: 0 }
        : (() => {
            const letter = key.slice('Control+'.length).toLowerCase();
            return { key: letter, code: `Key${letter.toUpperCase()}`, windowsVirtualKeyCode: letter.toUpperCase().charCodeAt(0), modifiers: 2 };
          })();
    await this.send('Input.dispatchKeyEvent', { type: event.text ? 'keyDown' : 'rawKeyDown', ...event });
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...event, text: undefined });
  }

  /** Ends Chromium with all its helper processes (its own process group), then removes its profile. */
  async close(): Promise<void> {
    this.socket.close();
    const group = this.browser.pid!;
    const alive = () => {
      try {
        process.kill(-group, 0);
        return true;
      } catch {
        return false;
      }
    };
    process.kill(-group, 'SIGTERM');
    for (let waited = 0; alive() && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    if (alive()) process.kill(-group, 'SIGKILL');
    while (alive()) await new Promise((resolve) => setTimeout(resolve, 50));
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}

/** Chromium writes the port it chose to DevToolsActivePort in its profile. */
async function waitForPort(profileDir: string): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const port = Number(readFileSync(join(profileDir, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
      if (port > 0) return port;
    } catch {
      // Not written yet.
    }
    if (Date.now() > deadline) throw new Error(`Chromium did not open its DevTools port within 20 s (${chromiumPath})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
