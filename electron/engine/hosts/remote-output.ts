import type { OutputFilter } from '../terminals/index.js';
import { exitMarkerPrefix, readyMarker } from './remote-script.js';

export interface ProtocolEvents {
  /** The preamble waits for the step's environment. */
  ready(): void;
}

/**
 * Takes the preamble's two markers out of a remote step's output before anything sees it (the
 * redaction after it, the log, the views): the ready marker, on which the environment is sent,
 * and the exit marker, which carries the command's exit code and proves that the command ended
 * rather than the connection. What came before the first and what ssh prints after the second
 * are not the step's output.
 */
export class RemoteProtocolFilter implements OutputFilter {
  private held = '';
  private beforeReady = '';
  private stage: 'starting' | 'running' | 'ended' = 'starting';
  /** The command's exit code, once its marker was seen. */
  exitCode: number | null = null;
  /** The preamble stopped everything the command left on the host before reporting its exit. */
  swept = false;
  /** The last text before the end, for a lost connection's message (ssh's own words). */
  private recent = '';

  constructor(
    private readonly events: ProtocolEvents,
    private readonly next?: OutputFilter,
  ) {}

  get lastText(): string {
    return this.recent || this.beforeReady.slice(-400);
  }

  push(chunk: string): string {
    return this.forward(this.scan(this.held + chunk));
  }

  flush(): string {
    const rest = this.stage === 'ended' ? '' : this.stage === 'starting' ? this.beforeReady + this.held : this.held;
    this.held = '';
    this.beforeReady = '';
    const tail = this.forward(rest);
    return tail + (this.next ? this.next.flush() : '');
  }

  private forward(text: string): string {
    if (text === '') return '';
    this.recent = (this.recent + text).slice(-400);
    return this.next ? this.next.push(text) : text;
  }

  private scan(text: string): string {
    let out = '';
    for (;;) {
      if (this.stage === 'ended') {
        this.held = '';
        return out;
      }
      if (this.stage === 'starting') {
        // Before the preamble is ready, only the login shell's startup speaks (a noisy ~/.bashrc,
        // which sshd's shell reads and a local step's does not): held, and shown only if the step
        // never starts, where it may say why.
        const at = text.indexOf(readyMarker);
        if (at >= 0) {
          this.beforeReady = '';
          text = text.slice(at + readyMarker.length);
          this.stage = 'running';
          this.events.ready();
          continue;
        }
        const keep = this.hold(text, readyMarker);
        this.beforeReady = (this.beforeReady + keep).slice(-64 * 1024);
        return out;
      }
      const at = text.indexOf(exitMarkerPrefix);
      if (at < 0) return out + this.hold(text, exitMarkerPrefix);
      const end = text.indexOf('\u0007', at);
      if (end < 0) {
        // The code is still on its way.
        this.held = text.slice(at);
        return out + text.slice(0, at);
      }
      out += text.slice(0, at);
      const [code, swept] = text.slice(at + exitMarkerPrefix.length, end).split(';');
      this.exitCode = Number(code);
      this.swept = swept === '1';
      this.stage = 'ended';
    }
  }

  /** Keeps back an end of `text` that may be the start of `marker`, cut between two chunks. */
  private hold(text: string, marker: string): string {
    for (let length = Math.min(marker.length - 1, text.length); length > 0; length--) {
      if (marker.startsWith(text.slice(text.length - length))) {
        this.held = text.slice(text.length - length);
        return text.slice(0, text.length - length);
      }
    }
    this.held = '';
    return text;
  }
}
