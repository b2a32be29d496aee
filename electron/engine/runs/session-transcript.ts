import type { SessionEntry } from '../../../shared/sessions.js';

/**
 * A session's conversation as terminal text, for the attempt's log and live output (what
 * `photon run` and a step's output panel show): the agent's words as they stream, one line per
 * tool call when it starts and when it ends, the plan and thinking left to the session view.
 */
export class SessionTranscript {
  /** Characters of each message already written, and the last status written of each tool call. */
  private readonly written = new Map<number, number>();
  private readonly toolStatus = new Map<number, string>();
  private lastIndex = -1;

  /** The text to append for an entry that was added or changed; '' when nothing new is worth a line. */
  text(index: number, entry: SessionEntry): string {
    const out = this.entryText(index, entry);
    if (!out) return '';
    // A new entry (or an older tool call ending) starts its own line; a streaming message continues its own.
    const text = index !== this.lastIndex && this.lastIndex !== -1 ? `\r\n${out}` : out;
    this.lastIndex = index;
    return text;
  }

  private entryText(index: number, entry: SessionEntry): string {
    switch (entry.type) {
      case 'message': {
        if (entry.role === 'thought') return '';
        const done = this.written.get(index) ?? 0;
        if (entry.text.length <= done) return '';
        this.written.set(index, entry.text.length);
        const fresh = lines(entry.text.slice(done));
        return done === 0 && entry.role === 'user' ? `> ${fresh}` : fresh;
      }
      case 'tool_call': {
        const { call } = entry;
        const status = call.status === 'pending' || call.status === 'in_progress' ? 'started' : call.status;
        if (this.toolStatus.get(index) === status) return '';
        this.toolStatus.set(index, status);
        const what = call.command ? `${call.title || call.kind}: ${call.command}` : call.title || call.kind;
        return `[${call.kind}] ${lines(what)} (${status === 'started' ? 'started' : status})`;
      }
      case 'turn_end':
        return entry.stopReason === 'end_turn' ? '' : `[turn ended: ${entry.stopReason}]`;
      case 'notice':
        return `[${lines(entry.text)}]`;
      default:
        return '';
    }
  }
}

/** Terminal line ends, as a pty would write them. */
function lines(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
