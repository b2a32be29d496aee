/**
 * Terminal output under a flood, from the pty to the view's consumption: real ptys, the engine's
 * TerminalManager and the page's own TerminalPipe (its acknowledgement policy), with a view that
 * consumes slower than the pty writes, as xterm does under a flood.
 */
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { FlowControl, TerminalManager } from '../../../electron/engine/terminals/index.js';
import { createClient } from '../../../renderer/client/photon-client.js';
import { TerminalPipe, type TerminalSink } from '../../../renderer/terminals/terminal-pipe.js';
import { outputWork, terminalFlow } from '../../../shared/terminals.js';
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

  it("pauses a flood of short lines once the view has a window of xterm's work to do, not a window of characters", async () => {
    // xterm parses `yes` (3 characters a line) ten times slower than lines of 76: everything sent
    // before a Ctrl-C is parsed before its prompt shows, so that is what the window must bound.
    let received = '';
    let workAtPause: number | undefined;
    manager = new TerminalManager({
      data: (id, data) => {
        received += data;
        // The batch that crossed the window has just been counted: the pty is paused from it on.
        if (workAtPause === undefined && manager!.isPaused(id)) workAtPause = outputWork(received);
      },
      updated: () => {},
    });
    const terminal = manager.create({ file: '/bin/bash', args: ['-c', 'yes'], cwd: tmpdir(), env, title: 'yes', command: 'yes' });
    manager.attach(terminal.info.id, 'never-consumes');
    await waitFor(() => workAtPause !== undefined, 'the pty to pause');
    // The window, and at most a quarter window's batch topped up by one read of the pty.
    const oneRead = (65_536 / 3) * outputWork('y\r\n');
    expect(workAtPause!).toBeLessThanOrEqual(terminalFlow.highWatermark * 1.25 + oneRead);
  }, 30_000);

  it('counts an acknowledgement against the batches it consumed, oldest first, a part of one by its characters', () => {
    const events: string[] = [];
    const flow = new FlowControl(() => events.push('pause'), () => events.push('resume'), 1000, 500);
    flow.attach('view');
    flow.sent(100, 100); // 100 characters of long lines
    flow.sent(100, 1000); // 100 characters of short lines: ten times the work
    expect(events).toEqual(['pause']);
    flow.ack('view', 100); // the long lines: 1,000 of work left
    expect(events).toEqual(['pause']);
    flow.ack('view', 60); // 60 of the short lines: 400 left
    expect(events).toEqual(['pause', 'resume']);
    flow.ack('view', 1000); // more than was sent owes nothing, and nothing is owed ahead
    flow.sent(10, 999);
    expect(events).toEqual(['pause', 'resume']);
  });

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
