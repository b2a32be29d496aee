import { describe, expect, it } from 'vitest';
import type { ProcessTreeSample } from '../../shared/metrics.js';
import { createClient } from '../../renderer/client/photon-client.js';
import { createPhotonStore } from '../../renderer/store/store.js';
import { isStepTerminal } from '../../renderer/store/terminals-slice.js';
import { closeQuestion } from '../../renderer/terminals/close-question.js';
import { clampFontSize, defaultFontSize, loadFontSize, loadRecentFolders, loadTabs, maxRecentFolders, rememberFolder, saveFontSize, saveTabs } from '../../renderer/terminals/preferences.js';
import { isWebLink, openLink, shortcutFor } from '../../renderer/terminals/shortcuts.js';
import { TerminalPipe, writeChunks, type TerminalSink } from '../../renderer/terminals/terminal-pipe.js';
import { FakeTransport, settle } from './fake-transport.js';
import { terminalInfo } from './fixtures.js';
import { terminalFlow } from '../../shared/terminals.js';


/** A sink that consumes writes only when told to, as xterm does asynchronously. */
class ManualSink implements TerminalSink {
  text = '';
  resets = 0;
  pending: (() => void)[] = [];
  write(data: string, done: () => void) {
    this.text += data;
    this.pending.push(done);
  }
  reset() {
    this.text = '';
    this.resets++;
  }
  consumeAll() {
    for (const done of this.pending.splice(0)) done();
  }
}

class MemoryStorage implements Storage {
  private map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(index: number) {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
}

describe('terminal pipe', () => {
  it('drops output sent before the attach reply (it is in the scrollback), then writes live output', async () => {
    const transport = new FakeTransport();
    let answer: (() => void) | undefined;
    transport.handle('terminals.attach', () => new Promise((resolve) => (answer = () => resolve({ terminal: terminalInfo('t1'), scrollback: 'old\r\n' }))));
    const sink = new ManualSink();
    const pipe = new TerminalPipe(createClient(transport), 't1', sink);
    const attached = pipe.attach();
    await settle();
    pipe.receive('already in scrollback');
    answer!();
    expect(await attached).toMatchObject({ id: 't1' });
    pipe.receive('live');
    expect(sink.text).toBe('old\r\nlive');
    expect(sink.resets).toBe(1);
  });

  it('acknowledges consumed output by time: a flood of small writes costs a few calls per MB, and nothing unconsumed is acknowledged', async () => {
    const transport = new FakeTransport().handle('terminals.attach', () => ({ terminal: terminalInfo('t1'), scrollback: '' })).handle('terminals.ack', () => null);
    const sink = new ManualSink();
    // A long interval, so a loaded machine cannot fire it between the checks below.
    const pipe = new TerminalPipe(createClient(transport), 't1', sink, { ackIntervalMs: 400 });
    await pipe.attach();
    // 1 MB in 4,000-character writes, as a flood arrives: nothing consumed yet, nothing acknowledged.
    for (let i = 0; i < 250; i++) pipe.receive('x'.repeat(4000));
    await settle();
    expect(transport.calls('terminals.ack')).toEqual([]);
    sink.consumeAll();
    await settle();
    // Consumed at once: one acknowledgement per ackBatchChars, not one per write (the engine's count
    // must not fall far behind, but each call costs the page a WebSocket send and the engine a dispatch).
    const acks = () => transport.calls('terminals.ack') as { chars: number }[];
    expect(acks().length).toBeGreaterThan(0);
    expect(acks().length).toBeLessThanOrEqual(Math.ceil(1_000_000 / terminalFlow.ackBatchChars));
    // The remainder goes once the interval has passed, and everything consumed is acknowledged exactly.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(acks().length).toBeLessThanOrEqual(Math.ceil(1_000_000 / terminalFlow.ackBatchChars) + 1);
    expect(acks().reduce((sum, ack) => sum + ack.chars, 0)).toBe(1_000_000);
    expect(pipe.consumed).toBe(1_000_000);
  });

  it('acknowledges a trickle once per interval, not once per write', async () => {
    const transport = new FakeTransport().handle('terminals.attach', () => ({ terminal: terminalInfo('t1'), scrollback: '' })).handle('terminals.ack', () => null);
    const sink = new ManualSink();
    const pipe = new TerminalPipe(createClient(transport), 't1', sink, { ackIntervalMs: 300 });
    await pipe.attach();
    for (let i = 0; i < 12; i++) {
      pipe.receive('y'.repeat(1000));
      sink.consumeAll();
    }
    await settle();
    expect(transport.calls('terminals.ack')).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(transport.calls('terminals.ack')).toEqual([{ id: 't1', chars: 12_000 }]);
  });

  it('does not acknowledge, after a lost link and a new attach, what was consumed before', async () => {
    const transport = new FakeTransport().handle('terminals.attach', () => ({ terminal: terminalInfo('t1'), scrollback: 'again' })).handle('terminals.ack', () => null);
    const sink = new ManualSink();
    const pipe = new TerminalPipe(createClient(transport), 't1', sink, { ackIntervalMs: 1 });
    await pipe.attach();
    pipe.receive('0123456789abc');
    pipe.linkLost();
    pipe.receive('dropped while detached');
    expect(pipe.isDetached).toBe(true);
    await pipe.attach();
    sink.consumeAll();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(transport.calls('terminals.ack')).toEqual([]);
    expect(sink.text).toBe('again');
  });

  it('splits large input into writes the contract accepts, sends resize and detaches once', async () => {
    const transport = new FakeTransport()
      .handle('terminals.attach', () => ({ terminal: terminalInfo('t1'), scrollback: '' }))
      .handle('terminals.write', () => null)
      .handle('terminals.resize', () => null)
      .handle('terminals.detach', () => null);
    const pipe = new TerminalPipe(createClient(transport), 't1', new ManualSink());
    await pipe.attach();
    pipe.input('y'.repeat(150_000));
    pipe.resize(100, 30);
    await settle();
    expect((transport.calls('terminals.write') as { data: string }[]).map((w) => w.data.length)).toEqual([65_536, 65_536, 18_928]);
    expect(transport.calls('terminals.resize')).toEqual([{ id: 't1', cols: 100, rows: 30 }]);
    await pipe.detach();
    await pipe.detach();
    expect(transport.calls('terminals.detach')).toHaveLength(1);
  });

  it('never splits a surrogate pair', () => {
    const text = `${'a'.repeat(3)}😀${'b'.repeat(3)}`;
    const chunks = writeChunks(text, 4);
    expect(chunks.join('')).toBe(text);
    expect(chunks.every((chunk) => !/[\uD800-\uDBFF]$/.test(chunk))).toBe(true);
  });
});

describe('terminals slice', () => {
  it('opens tabs once, shows the newest, and closing picks the right-hand neighbour', () => {
    const store = createPhotonStore();
    const s = () => store.getState();
    s().terminalTabOpened(terminalInfo('a'));
    s().terminalTabOpened(terminalInfo('b'));
    s().terminalTabOpened(terminalInfo('c'));
    s().terminalTabOpened(terminalInfo('a'));
    expect(s().terminals).toMatchObject({ tabs: ['a', 'b', 'c'], active: 'a', dockOpen: true });
    s().setActiveTerminal('b');
    s().terminalTabClosed('b');
    expect(s().terminals).toMatchObject({ tabs: ['a', 'c'], active: 'c' });
    expect(s().terminals.info.b).toBeUndefined();
    s().terminalTabClosed('c');
    s().terminalTabClosed('a');
    expect(s().terminals).toMatchObject({ tabs: [], active: null, dockOpen: false });
  });

  it('keeps state for open tabs only and restores saved tabs in order', () => {
    const store = createPhotonStore();
    const s = () => store.getState();
    s().terminalUpdated(terminalInfo('x'));
    expect(s().terminals.info.x).toBeUndefined();
    s().terminalTabsRestored([terminalInfo('b'), terminalInfo('a')], 'a');
    expect(s().terminals).toMatchObject({ tabs: ['b', 'a'], active: 'a', dockOpen: true });
    s().terminalUpdated(terminalInfo('a', { status: 'exited', exitCode: 3 }));
    expect(s().terminals.info.a).toMatchObject({ status: 'exited', exitCode: 3 });
    expect(isStepTerminal(terminalInfo('s', { owner: { runId: 'r', step: 1, attempt: 1 } }))).toBe(true);
    expect(isStepTerminal(s().terminals.info.a)).toBe(false);
  });
});

describe('terminal preferences', () => {
  it('remembers open tabs, recent folders (newest first, bounded) and the font size', () => {
    const storage = new MemoryStorage();
    expect(loadTabs(storage)).toEqual({ ids: [], active: null });
    saveTabs({ ids: ['a', 'b'], active: 'b' }, storage);
    expect(loadTabs(storage)).toEqual({ ids: ['a', 'b'], active: 'b' });

    rememberFolder('/one', storage);
    rememberFolder('  ', storage);
    rememberFolder('/two', storage);
    rememberFolder('/one', storage);
    expect(loadRecentFolders(storage)).toEqual(['/one', '/two']);
    for (let i = 0; i < 20; i++) rememberFolder(`/f${i}`, storage);
    expect(loadRecentFolders(storage)).toHaveLength(maxRecentFolders);

    expect(loadFontSize(storage)).toBe(defaultFontSize);
    saveFontSize(99, storage);
    expect(loadFontSize(storage)).toBe(clampFontSize(99));
    storage.setItem('photon.terminals.tabs', '{not json');
    expect(loadTabs(storage)).toEqual({ ids: [], active: null });
  });
});

describe('terminal shortcuts and links', () => {
  const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

  it('keeps Ctrl+C and Ctrl+V for the process on Linux and Windows', () => {
    expect(shortcutFor(key('c', { ctrlKey: true }), false)).toBeNull();
    expect(shortcutFor(key('v', { ctrlKey: true }), false)).toBeNull();
    expect(shortcutFor(key('C', { ctrlKey: true, shiftKey: true }), false)).toBe('copy');
    expect(shortcutFor(key('V', { ctrlKey: true, shiftKey: true }), false)).toBe('paste');
    expect(shortcutFor(key('f', { ctrlKey: true }), false)).toBe('find');
    expect(shortcutFor(key('=', { ctrlKey: true }), false)).toBe('zoom-in');
    expect(shortcutFor(key('-', { ctrlKey: true }), false)).toBe('zoom-out');
    expect(shortcutFor(key('0', { ctrlKey: true }), false)).toBe('zoom-reset');
    expect(shortcutFor(key('a'), false)).toBeNull();
  });

  it('uses Cmd on macOS', () => {
    expect(shortcutFor(key('c', { metaKey: true }), true)).toBe('copy');
    expect(shortcutFor(key('f', { metaKey: true }), true)).toBe('find');
    expect(shortcutFor(key('c', { ctrlKey: true }), true)).toBeNull();
  });

  it('opens only http(s) links, without access back to the app', () => {
    const opened: unknown[][] = [];
    expect(openLink('https://example.com/a?b=1', (...args) => opened.push(args))).toBe(true);
    expect(openLink('javascript:alert(1)', (...args) => opened.push(args))).toBe(false);
    expect(openLink('file:///etc/passwd', (...args) => opened.push(args))).toBe(false);
    expect(opened).toEqual([['https://example.com/a?b=1', '_blank', 'noopener,noreferrer']]);
    expect(isWebLink('http://localhost:3000')).toBe(true);
  });
});

describe('closing a terminal tab', () => {
  const tree = (processes: number): ProcessTreeSample => ({ terminalId: 't', cpuPercent: 0, rssBytes: 1, processes, owner: null, waitingForInput: false, foregroundProgram: null });

  it('asks only when a program would be stopped', () => {
    // An idle shell, or one not sampled yet: closed at once.
    expect(closeQuestion(terminalInfo('t'), tree(1))).toBeNull();
    expect(closeQuestion(terminalInfo('t'), undefined)).toBeNull();
    // A shell running something.
    expect(closeQuestion(terminalInfo('t'), tree(2))).toBe('A program is still running in “bash (t)”. Close the terminal and stop it?');
    // A tool's session or a command, whatever its tree.
    expect(closeQuestion(terminalInfo('t', { title: 'Codex', command: 'codex' }), undefined)).toBe('“Codex” is still running codex. Close it and stop it?');
    expect(closeQuestion(terminalInfo('t', { title: 'Long', command: `run ${'x'.repeat(100)}` }), undefined)).toMatch(/^“Long” is still running run x{55}…\. Close it and stop it\?$/);
    // Nothing to lose: it ended, or it is a step's terminal (closing only stops watching it).
    expect(closeQuestion(terminalInfo('t', { status: 'exited', command: 'codex' }), tree(2))).toBeNull();
    expect(closeQuestion(terminalInfo('t', { command: 'make', owner: { runId: 'r', step: 1, attempt: 1 } }), tree(3))).toBeNull();
  });
});
