/**
 * Terminal flow control through the desktop host's IPC: each page load is its own client of the
 * engine, so a window that closes or loads a new page stops counting, and a page is sent only the
 * output of terminals it shows. Real engine, real ptys; Electron is the stand-in.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReplyEnvelope } from '../../shared/api.js';
import { ipcChannels } from '../../shared/bridge.js';
import { fake, FakeBrowserWindow, type FakeWebContents } from './fake-electron.js';
import { loadMainProcess, until, type MainProcess } from './main-process-harness.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);

let main: MainProcess;
let nextId = 1;

beforeAll(async () => {
  main = await loadMainProcess();
});

afterAll(() => {
  main?.remove();
});

async function call<T>(contents: FakeWebContents, method: string, params?: unknown): Promise<T> {
  const reply: ReplyEnvelope = await main.invoke({ id: nextId++, method, params }, main.pageEvent(contents));
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.value as T;
}

/**
 * A terminal that waits for a `go` file, then prints about 2 MB (four times flow control's window)
 * and writes a `done` file. Paused by a client that never acknowledges, it never gets to `done`.
 */
async function floodingTerminal(contents: FakeWebContents, name: string): Promise<{ id: string; go: () => void; done: string }> {
  const dir = join(main.root, name);
  mkdirSync(dir);
  const command = `while [ ! -e '${dir}/go' ]; do sleep 0.1; done; seq 1 300000; touch '${dir}/done'; sleep 60`;
  const { id } = await call<{ id: string }>(contents, 'terminals.create', { command, cwd: main.root });
  return { id, go: () => writeFileSync(join(dir, 'go'), ''), done: join(dir, 'done') };
}

type SentEvent = { event: string; payload: { id: string; status?: string } };
const eventsTo = (contents: FakeWebContents, event: string, id: string) =>
  contents.sent.filter((m) => m.channel === ipcChannels.event).map((m) => m.message as SentEvent).filter((m) => m.event === event && m.payload.id === id);

/** Runs `command` in a new terminal (attached or not) until it exits; what the page was sent of it. */
async function runInTerminal(contents: FakeWebContents, command: string, attach: boolean): Promise<SentEvent[]> {
  const dir = mkdtempSync(join(main.root, 'run-'));
  const { id } = await call<{ id: string }>(contents, 'terminals.create', { command: `while [ ! -e '${dir}/go' ]; do sleep 0.1; done; ${command}`, cwd: main.root });
  if (attach) await call(contents, 'terminals.attach', { id });
  writeFileSync(join(dir, 'go'), '');
  // The engine sends a terminal's last output before it announces the exit, so this is all of it.
  await until(() => eventsTo(contents, 'terminal.updated', id).some((e) => e.payload.status === 'exited'), 'the terminal to exit', 20_000);
  return eventsTo(contents, 'terminal.data', id);
}

describe('the desktop host counts each page as its own terminal client', () => {
  it("sends a page a terminal's output only when it is attached", async () => {
    const page = main.window.webContents;
    expect(await runInTerminal(page, "printf '%s-%s\\n' shown output", true)).not.toEqual([]);
    expect(await runInTerminal(page, "printf '%s-%s\\n' unseen output", false)).toEqual([]);
  }, 60_000);

  it('lets a terminal run on once the page that showed it loads anew', async () => {
    const page = main.window.webContents;
    const terminal = await floodingTerminal(page, 'reloaded');
    // Attached and never acknowledging, as a page does that stopped reading.
    await call(page, 'terminals.attach', { id: terminal.id });
    page.emit('did-navigate', {}, `${main.appUrl}#/workflows`);
    terminal.go();
    await until(() => existsSync(terminal.done), 'the terminal to print all of its output', 60_000);
  }, 90_000);

  it('lets a terminal run on once the window that showed it closes', async () => {
    const page = main.window.webContents;
    const terminal = await floodingTerminal(page, 'closed');
    await call(page, 'terminals.attach', { id: terminal.id });
    // Closing the window as Electron does: its page is destroyed, then the window reports closed.
    page.destroyed = true;
    page.emit('destroyed');
    main.window.destroyed = true;
    main.window.emit('closed');
    terminal.go();
    await until(() => existsSync(terminal.done), 'the terminal to print all of its output', 60_000);
    // The window the user opens next is a new page, a client of its own.
    fake.app.emit('second-instance');
    const reopened = await until(() => FakeBrowserWindow.all[1], 'a new window');
    expect(reopened.webContents.id).not.toBe(page.id);
  }, 90_000);
});
