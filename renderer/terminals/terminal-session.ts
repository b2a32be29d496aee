import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon, type ISearchOptions } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { PhotonClient } from '../../shared/api.js';
import type { TerminalInfo } from '../../shared/terminals.js';
import { OutputPacer } from './output-pacer.js';
import { openLink, shortcutFor } from './shortcuts.js';
import { TerminalPipe } from './terminal-pipe.js';

/** What a session needs from the dock around it. */
export interface SessionOptions {
  fontSize: number;
  theme: ITheme;
  /** The user asked to zoom: +1, -1, or 0 to reset. The registry applies it to every terminal. */
  onZoom(step: 1 | -1 | 0): void;
}

/** What the end-to-end tests and the benchmark read from a terminal's element (no test-only build). */
export interface TerminalProbe {
  /** The buffer's text, wrapped lines joined; only the last `lines` rows when given. */
  text(lines?: number): string;
  /** Characters of live output xterm has consumed. */
  consumed(): number;
  renderer(): 'webgl' | 'dom';
  /** The rows on screen, as text. */
  screen(): string[];
  /** The grid xterm shows, as the process is told it by the engine. */
  size(): { cols: number; rows: number; fontSize: number };
  /** What is selected, the whole line it starts on, and whether that line is on screen; null without a selection. */
  selection(): { text: string; line: string; onScreen: boolean } | null;
  /**
   * Writes `data` (text, or its UTF-8 bytes as live output comes) straight into xterm, past the
   * engine, the socket and flow control (not counted in `consumed`); resolves once xterm has
   * parsed it. The benchmark's baseline: xterm's own speed.
   */
  feed(data: string | Uint8Array): Promise<void>;
}

export type ProbedElement = HTMLElement & { photonTerminal?: TerminalProbe };

/** The buffer as text: wrapped rows joined to their line. */
export function bufferText(term: Terminal, lines?: number): string {
  const buffer = term.buffer.active;
  const start = lines === undefined ? 0 : Math.max(0, buffer.length - lines);
  const out: string[] = [];
  for (let row = start; row < buffer.length; row++) {
    const line = buffer.getLine(row);
    if (!line) continue;
    const text = line.translateToString(true);
    if (line.isWrapped && out.length > 0) out[out.length - 1] += text;
    else out.push(text);
  }
  return out.join('\n').replace(/\n+$/, '');
}

function screenRows(term: Terminal): string[] {
  const buffer = term.buffer.active;
  const rows: string[] = [];
  for (let row = buffer.viewportY; row < buffer.viewportY + term.rows; row++) rows.push(buffer.getLine(row)?.translateToString(true) ?? '');
  return rows;
}

function matchDecorations(): ISearchOptions['decorations'] {
  const style = getComputedStyle(document.documentElement);
  const match = style.getPropertyValue('--terminal-match').trim() || '#f6d365';
  const active = style.getPropertyValue('--terminal-match-active').trim() || '#f59f00';
  return { matchBackground: match, matchOverviewRuler: match, activeMatchBackground: active, activeMatchColorOverviewRuler: active };
}

function selectionFacts(term: Terminal): { text: string; line: string; onScreen: boolean } | null {
  const position = term.getSelectionPosition();
  if (!position) return null;
  const buffer = term.buffer.active;
  // xterm reports the selection's row 0-based (its typings say 1-based).
  const row = position.start.y;
  return {
    text: term.getSelection(),
    line: buffer.getLine(row)?.translateToString(true) ?? '',
    onScreen: row >= buffer.viewportY && row < buffer.viewportY + term.rows,
  };
}

/** DECTCEM reset: xterm draws no cursor, in either renderer. */
const hideCursor = '\x1b[?25l';

let webglVerdict: string | null | undefined;

/**
 * Why the WebGL renderer should not be used here, or null when it should: the user chose the DOM
 * renderer (localStorage `photon.terminals.renderer` = "dom"), WebGL2 is missing, or it runs in
 * software (SwiftShader, llvmpipe), where drawing every frame on the CPU is slower than the DOM.
 */
export function webglUnsuitable(): string | null {
  if (webglVerdict !== undefined) return webglVerdict;
  try {
    if (localStorage.getItem('photon.terminals.renderer') === 'dom') return (webglVerdict = 'chosen');
  } catch {
    // No storage: decide from the hardware.
  }
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return (webglVerdict = 'no-webgl2');
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    webglVerdict = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i.test(renderer) ? 'software' : null;
  } catch {
    webglVerdict = 'no-webgl2';
  }
  return webglVerdict;
}

/**
 * One terminal as the dock shows it: xterm with its addons, fed by a TerminalPipe. It outlives
 * React renders: a view mounts its element and unmounts it, and the registry disposes it when
 * its tab closes.
 */
export class TerminalSession {
  readonly element: ProbedElement;
  readonly term: Terminal;
  readonly pipe: TerminalPipe;
  readonly search: SearchAddon;
  private readonly fitAddon = new FitAddon();
  private readonly pacer: OutputPacer;
  private webgl: WebglAddon | undefined;
  private opened = false;
  private disposed = false;
  private sent: { cols: number; rows: number } | null = null;
  private running = true;
  renderer: 'webgl' | 'dom' = 'dom';
  /** The view's search bar opens on Ctrl/Cmd+F. */
  onFindRequest: (() => void) | undefined;
  /** Where the current match is among all of them (index from 0), as the search bar says it. */
  onFindResults: ((index: number, count: number) => void) | undefined;

  constructor(
    readonly id: string,
    client: PhotonClient,
    private readonly options: SessionOptions,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'terminal-surface';
    this.element.dataset.terminalId = id;
    this.term = new Terminal({
      fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--mono').trim() || 'monospace',
      fontSize: options.fontSize,
      theme: options.theme,
      scrollback: 10_000,
      cursorBlink: false,
      allowProposedApi: true,
      macOptionIsMeta: true,
    });
    this.search = new SearchAddon();
    this.term.loadAddon(this.fitAddon);
    this.term.loadAddon(this.search);
    this.search.onDidChangeResults(({ resultIndex, resultCount }) => this.onFindResults?.(resultIndex, resultCount));
    this.term.loadAddon(new WebLinksAddon((event, uri) => {
      event.preventDefault();
      openLink(uri);
    }));
    this.pacer = new OutputPacer({
      write: (data, done) => this.term.write(data, done),
      reset: () => this.term.reset(),
    });
    this.pipe = new TerminalPipe(client, id, this.pacer);
    this.term.onData((data) => this.pipe.input(data));
    this.term.attachCustomKeyEventHandler((event) => this.handleKey(event));
    this.element.photonTerminal = {
      text: (lines) => bufferText(this.term, lines),
      consumed: () => this.pipe.consumed,
      renderer: () => this.renderer,
      screen: () => screenRows(this.term),
      size: () => ({ cols: this.term.cols, rows: this.term.rows, fontSize: this.term.options.fontSize ?? options.fontSize }),
      selection: () => selectionFacts(this.term),
      feed: (data) => new Promise((done) => this.term.write(data, done)),
    };
  }

  /** Puts the terminal in `host` (opening xterm the first time, where it can measure fonts). */
  mount(host: HTMLElement): void {
    if (this.disposed) return;
    if (this.element.parentElement !== host) host.appendChild(this.element);
    if (!this.opened) {
      this.opened = true;
      this.term.open(this.element);
      this.loadWebgl();
    }
    this.fit();
  }

  unmount(): void {
    this.element.remove();
  }

  /** What the engine says about the terminal: its size and whether it still runs. */
  update(info: TerminalInfo): void {
    this.running = info.status === 'running';
    // Keys, pastes and xterm's own replies would go to a process that is gone (the engine refuses
    // them); the custom key handler still runs, so find, copy and zoom keep working.
    this.term.options.disableStdin = !this.running;
    // No cursor once nothing can be typed. Through the pacer, after any output it still holds;
    // a reattach resets xterm (cursor shown again) and then updates, so it is hidden again.
    if (!this.running && this.pipe.isAttached) this.pacer.write(hideCursor, () => {});
    this.sent = { cols: info.cols, rows: info.rows };
    this.fit();
  }

  /** Fits xterm to its element and tells the engine the new size (only when visible and changed). */
  fit(): void {
    if (!this.opened || this.disposed || !this.element.isConnected) return;
    const dims = this.fitAddon.proposeDimensions();
    if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows) || dims.cols < 2 || dims.rows < 1) return;
    const cols = Math.min(1000, dims.cols);
    const rows = Math.min(1000, dims.rows);
    if (cols !== this.term.cols || rows !== this.term.rows) this.term.resize(cols, rows);
    if (this.running && this.pipe.isAttached && (this.sent?.cols !== cols || this.sent?.rows !== rows)) {
      this.sent = { cols, rows };
      this.pipe.resize(cols, rows);
    }
  }

  setFontSize(size: number): void {
    this.term.options.fontSize = size;
    this.fit();
  }

  setTheme(theme: ITheme): void {
    this.term.options.theme = theme;
  }

  focus(): void {
    this.term.focus();
  }

  find(query: string, backwards = false, options: ISearchOptions = {}): boolean {
    if (query === '') {
      this.search.clearDecorations();
      this.term.clearSelection();
      return false;
    }
    // Every match highlighted, the current one more so, in the scheme's colours; the count comes with them.
    const withMatches = { decorations: matchDecorations(), ...options };
    return backwards ? this.search.findPrevious(query, withMatches) : this.search.findNext(query, withMatches);
  }

  async copySelection(): Promise<void> {
    const text = this.term.getSelection();
    if (text === '') return;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Without clipboard permission, the browser's own copy command still works on a selection.
      document.execCommand('copy');
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pipe.dispose();
    this.pacer.dispose();
    this.webgl?.dispose();
    this.term.dispose();
    this.element.remove();
  }

  /** The WebGL renderer where it works; on failure or a lost context, xterm's DOM renderer. */
  private loadWebgl(): void {
    const reason = webglUnsuitable();
    if (reason) {
      this.setRenderer('dom');
      this.element.dataset.rendererReason = reason;
      return;
    }
    try {
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => {
        webgl.dispose();
        this.webgl = undefined;
        this.setRenderer('dom');
      });
      this.term.loadAddon(webgl);
      this.webgl = webgl;
      this.setRenderer('webgl');
    } catch {
      this.webgl = undefined;
      this.setRenderer('dom');
    }
  }

  private setRenderer(renderer: 'webgl' | 'dom'): void {
    this.renderer = renderer;
    this.element.dataset.renderer = renderer;
  }

  private handleKey(event: KeyboardEvent): boolean {
    const action = shortcutFor(event);
    if (!action) return true;
    if (event.type !== 'keydown') return false;
    switch (action) {
      case 'find':
        event.preventDefault();
        this.onFindRequest?.();
        return false;
      case 'copy':
        event.preventDefault();
        void this.copySelection();
        return false;
      case 'paste':
        // Not handled here: the browser's paste event reaches xterm, which pastes (bracketed when asked).
        return false;
      case 'zoom-in':
      case 'zoom-out':
      case 'zoom-reset':
        event.preventDefault();
        this.options.onZoom(action === 'zoom-in' ? 1 : action === 'zoom-out' ? -1 : 0);
        return false;
    }
  }
}
