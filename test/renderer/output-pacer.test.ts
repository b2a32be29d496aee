import { describe, expect, it } from 'vitest';
import { OutputPacer } from '../../renderer/terminals/output-pacer.js';
import type { TerminalSink } from '../../renderer/terminals/terminal-pipe.js';

/**
 * xterm as the pacer sees it: writes are consumed only when told to, as xterm parses
 * asynchronously, and until then it reads the very bytes it was handed (not a copy).
 */
class ManualSink implements TerminalSink {
  writes: (string | Uint8Array)[] = [];
  resets = 0;
  private pending: (() => void)[] = [];
  write(data: string | Uint8Array, done: () => void) {
    this.writes.push(data);
    this.pending.push(done);
  }
  reset() {
    this.resets++;
  }
  consumeAll() {
    for (const done of this.pending.splice(0)) done();
  }
  text() {
    const decoder = new TextDecoder();
    return this.writes.map((data) => (typeof data === 'string' ? data : decoder.decode(data))).join('');
  }
}

/** A clock and timers the test moves by hand: nothing here depends on how fast the machine is. */
class ManualClock {
  time = 1_000;
  private timers: { at: number; run: () => void; id: number }[] = [];
  private nextId = 1;
  readonly options = {
    now: () => this.time,
    setTimer: (run: () => void, ms: number) => {
      const id = this.nextId++;
      this.timers.push({ at: this.time + ms, run, id });
      return id;
    },
    clearTimer: (id: unknown) => {
      this.timers = this.timers.filter((timer) => timer.id !== id);
    },
  };
  advance(ms: number) {
    const until = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.time = next.at;
      next.run();
    }
    this.time = until;
  }
  get pending() {
    return this.timers.length;
  }
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('terminal output pacing', () => {
  it('writes a key\'s echo to xterm at once when no flood is on', () => {
    const clock = new ManualClock();
    const sink = new ManualSink();
    const pacer = new OutputPacer(sink, { ...clock.options, intervalMs: 33, busyChars: 16_000 });
    pacer.write(bytes('l'), () => {});
    expect(sink.text()).toBe('l');
    // A command's few lines right after, within the same frame: at once too.
    clock.advance(2);
    pacer.write(bytes('s\r\nREADME.md  package.json\r\n$ '), () => {});
    expect(sink.text()).toBe('ls\r\nREADME.md  package.json\r\n$ ');
    expect(sink.writes).toHaveLength(2);
    expect(clock.pending).toBe(0);
  });

  it('hands a flood to xterm in about one write per interval, in order, and reports each batch consumed only once xterm has parsed it', () => {
    const clock = new ManualClock();
    const sink = new ManualSink();
    const pacer = new OutputPacer(sink, { ...clock.options, intervalMs: 33, busyChars: 16_000 });
    // 2 MB in batches of 20,000 characters, one every 2 ms (10 MB/s), as the engine's batches arrive
    // under a flood: views on the WebSocket's frames, past their header.
    let sent = '';
    let consumed = 0;
    for (let i = 0; i < 100; i++) {
      const text = `${String(i).padStart(5, '0')}${'x'.repeat(19_993)}\r\n`;
      sent += text;
      const frame = bytes(`[header ${i}]${text}`);
      pacer.write(frame.subarray(frame.length - text.length), () => (consumed += text.length));
      clock.advance(2);
    }
    clock.advance(33);
    // 200 ms of flood: at most one write per 33 ms, where xterm had been handed all 100 batches one by one.
    expect(sink.writes.length).toBeLessThanOrEqual(Math.ceil(200 / 33) + 2);
    expect(sink.text()).toBe(sent);
    // Held and written output counts as consumed only after xterm consumed it: flow control stays exact.
    expect(consumed).toBe(0);
    sink.consumeAll();
    expect(consumed).toBe(sent.length);
  });

  it('holds no more than a part of the flow-control window: the engine must not pause the program for what the page holds', () => {
    const clock = new ManualClock();
    const sink = new ManualSink();
    const pacer = new OutputPacer(sink, { ...clock.options, intervalMs: 33, busyChars: 16_000, maxHeldChars: 100_000 });
    // 1 MB arriving within one interval, in batches of 25,000 characters.
    for (let i = 0; i < 40; i++) pacer.write('z'.repeat(24_998) + '\r\n', () => {});
    expect(sink.writes.length).toBeGreaterThanOrEqual(9);
    expect(Math.max(...sink.writes.map((data) => data.length))).toBeLessThanOrEqual(100_000);
    clock.advance(33);
    expect(sink.text().length).toBe(1_000_000);
  });

  it('keeps text and bytes in order when both come', () => {
    const clock = new ManualClock();
    const sink = new ManualSink();
    const pacer = new OutputPacer(sink, { ...clock.options, intervalMs: 33, busyChars: 10 });
    const parts = ['first batch, past busy', 'a', 'b', 'c', 'd'];
    pacer.write(parts[0]!, () => {});
    pacer.write(bytes(parts[1]!), () => {});
    pacer.write(parts[2]!, () => {});
    pacer.write(bytes(parts[3]!), () => {});
    pacer.write(bytes(parts[4]!), () => {});
    expect(sink.writes).toHaveLength(1);
    clock.advance(33);
    expect(sink.text()).toBe(parts.join(''));
  });

  it('drops held output when the view is reset for the engine\'s scrollback, which holds it', () => {
    const clock = new ManualClock();
    const sink = new ManualSink();
    const pacer = new OutputPacer(sink, { ...clock.options, intervalMs: 33, busyChars: 10 });
    pacer.write('a flood has started', () => {});
    pacer.write('held', () => {});
    pacer.reset();
    expect(clock.pending).toBe(0);
    pacer.write('scrollback', () => {});
    clock.advance(100);
    expect(sink.text()).toBe('a flood has startedscrollback');
    expect(sink.resets).toBe(1);
  });

  it('writes at once again once a flood has ended', () => {
    const clock = new ManualClock();
    const sink = new ManualSink();
    const pacer = new OutputPacer(sink, { ...clock.options, intervalMs: 33, busyChars: 16_000 });
    for (let i = 0; i < 20; i++) {
      pacer.write('y\r\n'.repeat(5_000), () => {});
      clock.advance(3);
    }
    clock.advance(100);
    const written = sink.writes.length;
    pacer.write('^C\r\n$ ', () => {});
    expect(sink.writes.length).toBe(written + 1);
    expect(sink.text().endsWith('^C\r\n$ ')).toBe(true);
  });
});
