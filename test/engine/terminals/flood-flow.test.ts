/**
 * Terminal output under a flood, from the pty to the view's consumption: real ptys, the engine's
 * TerminalManager and the page's own TerminalPipe (its acknowledgement policy), with a view that
 * consumes slower than the pty writes, as xterm does under a flood.
 */
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalManager } from '../../../electron/engine/terminals/index.js';
import { createClient } from '../../../renderer/client/photon-client.js';
import { TerminalPipe, type TerminalSink } from '../../../renderer/terminals/terminal-pipe.js';
import { terminalFlow } from '../../../shared/terminals.js';
import { FakeTransport } from '../../renderer/fake-transport.js';

const env = { ...(process.env as Record<string, string>), TERM: 'xterm-256color', LC_ALL: 'C.UTF-8' };

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A view that parses what it is given a slice at a time, between turns of the event loop, and
 * reports each write consumed once all of it is parsed, as xterm's write callback does.
 */
class SlowView implements TerminalSink {
  private readonly queue: { chars: number; done: () => void }[] = [];
  /** Characters written to the view and not yet parsed. */
  backlog = 0;
  consumed = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly sliceChars: number) {}

  write(data: string, done: () => void): void {
    this.queue.push({ chars: data.length, done });
    this.backlog += data.length;
    this.timer ??= setTimeout(() => this.parse(), 1);
  }

  reset(): void {}

  private parse(): void {
    this.timer = undefined;
    let budget = this.sliceChars;
    while (budget > 0 && this.queue.length > 0) {
      const head = this.queue[0]!;
      const taken = Math.min(budget, head.chars);
      head.chars -= taken;
      budget -= taken;
      this.backlog -= taken;
      this.consumed += taken;
      if (head.chars === 0) {
        this.queue.shift();
        head.done();
      }
    }
    if (this.queue.length > 0) this.timer = setTimeout(() => this.parse(), 1);
  }
}

describe('terminal output under a flood', () => {
  let manager: TerminalManager | undefined;

  afterEach(async () => {
    await manager?.killAll();
  });

  it('resumes a paused pty while the view still has work queued, so it never waits idle for the round trip', async () => {
    const view = new SlowView(8 * 1024);
    const transport = new FakeTransport();
    /** The page's pipe, made once the terminal's id is known; output before its attach is dropped, as in the page. */
    const page: { pipe?: TerminalPipe } = {};
    manager = new TerminalManager({ data: (_id, data) => page.pipe?.receive(data), updated: () => {} });
    const terminal = manager.create({ file: '/bin/bash', args: ['-c', 'head -c 9000000 /dev/zero | base64 -w 100'], cwd: tmpdir(), env, title: 'flood', command: 'flood' });
    const id = terminal.info.id;
    /** What the view still had to parse each time the pty was let go again. */
    const backlogAtResume: number[] = [];
    transport
      .handle('terminals.attach', () => manager!.attach(id, 'view'))
      .handle('terminals.ack', (params) => {
        const wasPaused = manager!.isPaused(id);
        manager!.ack(id, 'view', (params as { chars: number }).chars);
        if (wasPaused && !manager!.isPaused(id)) backlogAtResume.push(view.backlog);
        return null;
      });
    page.pipe = new TerminalPipe(createClient(transport), id, view);
    await page.pipe.attach();
    const exited = new Promise<void>((resolve) => terminal.onExit(() => resolve()));
    await exited;
    await waitFor(() => view.backlog === 0 && view.consumed >= 12_000_000, 'the view to parse the whole flood');

    // The view parses slower than the pty writes (8 KB a turn): flow control paused the pty.
    expect(backlogAtResume.length).toBeGreaterThanOrEqual(1);
    // Each time, the view still held at least what xterm parses in 12 ms at 40 MB/s: new output
    // has the whole of that to come back (acknowledgement, resume, pty, host, engine, socket).
    expect(Math.min(...backlogAtResume)).toBeGreaterThanOrEqual(500_000);
    // And never more than the window: what is drawn before a Ctrl-C is answered stays bounded.
    expect(Math.max(...backlogAtResume)).toBeLessThanOrEqual(terminalFlow.highWatermark);
  }, 90_000);

  it('keeps a character whole when the pty hands it over in two reads', async () => {
    let received = '';
    manager = new TerminalManager({ data: (_id, data) => void (received += data), updated: () => {} }, { batchMs: 1 });
    // The euro sign (3 bytes) cut after its second byte, an emoji (4 bytes) after its first: the
    // pause between the halves makes the host read each half on its own.
    const terminal = manager.create({
      file: '/bin/bash',
      args: ['-c', "printf '\\xe2\\x82'; sleep 0.3; printf '\\xac \\xf0'; sleep 0.3; printf '\\x9f\\x98\\x80\\n'"],
      cwd: tmpdir(),
      env,
      title: 'split',
      command: 'split',
    });
    await new Promise<void>((resolve) => terminal.onExit(() => resolve()));
    expect(received).toBe('€ 😀\r\n');
    expect(manager.attach(terminal.info.id, 'later').scrollback).toBe('€ 😀\r\n');
  }, 30_000);
});
