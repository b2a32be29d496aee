import type { SessionUpdate, ToolCallContent, ToolCallUpdate } from '@agentclientprotocol/sdk';
import {
  sessionTextLimit,
  type SessionEntry,
  type SessionPlanEntry,
  type SessionToolCall,
  type SessionUsage,
  type ToolCallKind,
} from '../../../shared/sessions.js';

/**
 * Folds ACP `session/update` notifications into the conversation a user reads: consecutive chunks
 * of one speaker grow one message, a tool call is updated in place, the plan is replaced whole.
 * Every text is bounded, and so is the number of entries, so a chatty agent cannot grow the
 * engine without limit.
 */

/** Entries kept per session; the oldest are dropped first, with a notice saying so. */
const maxEntries = 5000;
const cutNote = '\n[cut: Photon keeps the first 200,000 characters]';

export interface ConversationChange {
  /** Index of the entry that was added or changed. */
  index: number;
  entry: SessionEntry;
}

/** Hides secret values in what the conversation keeps (the secrets' Redactor). */
export interface TextRedactor {
  /** Unless `final`, an ending that could begin a value is returned apart as `held`. */
  process(text: string, final: boolean): { text: string; held: string };
}

export class Conversation {
  readonly entries: SessionEntry[] = [];
  readonly usage: SessionUsage = {};
  private readonly toolIndex = new Map<string, number>();
  private dropped = 0;
  /** The streamed message still growing, as the agent sent it, before redaction. */
  private streaming: { entry: SessionEntry & { type: 'message' }; raw: string } | undefined;
  private readonly flushed: ConversationChange[] = [];

  /**
   * With a redactor, every text kept is redacted; a streamed message keeps back an ending that
   * could be the start of a secret until the next chunk (or the turn's end) shows it is not.
   */
  constructor(private readonly redactor?: TextRedactor) {}

  /** Applies one update; returns the entry it changed, if any. */
  apply(update: SessionUpdate, now = Date.now()): ConversationChange | undefined {
    switch (update.sessionUpdate) {
      case 'user_message_chunk':
      case 'agent_message_chunk':
      case 'agent_thought_chunk': {
        const role = update.sessionUpdate === 'user_message_chunk' ? 'user' : update.sessionUpdate === 'agent_message_chunk' ? 'agent' : 'thought';
        const text = update.content.type === 'text' ? update.content.text : `[${update.content.type}]`;
        return this.appendText(role, text, now);
      }
      case 'tool_call':
      case 'tool_call_update':
        return this.toolCall(update, now);
      case 'plan':
        return this.replacePlan(update.entries.map((e) => ({ content: this.text(e.content), priority: e.priority, status: e.status })), now);
      case 'usage_update':
        this.usage.contextUsed = update.used;
        this.usage.contextSize = update.size;
        if (update.cost && update.cost.currency === 'USD') this.usage.costUsd = update.cost.amount;
        return undefined;
      default:
        return undefined;
    }
  }

  /** Records the user's own prompt, as sent. */
  userMessage(text: string, now = Date.now()): ConversationChange {
    return this.push({ type: 'message', role: 'user', text: this.text(text), at: now });
  }

  notice(text: string, now = Date.now()): ConversationChange {
    return this.push({ type: 'notice', text: this.text(text), at: now });
  }

  turnEnd(stopReason: string, now = Date.now()): ConversationChange {
    return this.push({ type: 'turn_end', stopReason, at: now });
  }

  /** Messages completed by a later entry since the last call, for the listeners that saw them held back. */
  takeFlushed(): ConversationChange[] {
    return this.flushed.splice(0);
  }

  /** The rest of a streamed message held back as a possible secret's start, now that no more follows it. */
  flushMessage(): ConversationChange | undefined {
    const streaming = this.streaming;
    this.streaming = undefined;
    if (!streaming || !this.redactor) return undefined;
    const text = bounded(this.redactor.process(streaming.raw, true).text);
    if (text === streaming.entry.text) return undefined;
    streaming.entry.text = text;
    const index = this.entries.lastIndexOf(streaming.entry);
    return index === -1 ? undefined : { index, entry: streaming.entry };
  }

  /** Tool calls the agent left open when its turn ended: ACP does not close them for us. */
  closeOpenToolCalls(status: 'completed' | 'failed'): ConversationChange[] {
    const changes: ConversationChange[] = [];
    for (const index of this.toolIndex.values()) {
      const entry = this.entries[index - this.dropped];
      if (entry?.type === 'tool_call' && (entry.call.status === 'pending' || entry.call.status === 'in_progress')) {
        entry.call.status = status;
        changes.push({ index: index - this.dropped, entry });
      }
    }
    return changes;
  }

  /** The agent's last message of the last turn: what a step's output is. */
  finalMessage(): string {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      if (entry.type === 'message' && entry.role === 'agent') return entry.text;
      if (entry.type === 'message' && entry.role === 'user') return '';
    }
    return '';
  }

  toolCallById(id: string): SessionToolCall | undefined {
    const index = this.toolIndex.get(id);
    const entry = index === undefined ? undefined : this.entries[index - this.dropped];
    return entry?.type === 'tool_call' ? entry.call : undefined;
  }

  /** A tool call as a permission request describes it, merged with what the session already knows. */
  describe(update: ToolCallUpdate): SessionToolCall {
    const known = this.toolCallById(update.toolCallId);
    const call: SessionToolCall = known ? structuredClone(known) : { id: update.toolCallId, title: '', kind: 'other', status: 'pending', output: '', diffs: [], locations: [] };
    merge(call, update, this.text);
    return call;
  }

  /** A text as kept: secrets hidden, length bounded. */
  private readonly text = (value: string): string => bounded(this.redactor ? this.redactor.process(value, true).text : value);

  private appendText(role: 'user' | 'agent' | 'thought', text: string, now: number): ConversationChange {
    const last = this.entries.at(-1);
    if (last?.type === 'message' && last.role === role) {
      if (!this.redactor) last.text = bounded(last.text + text);
      else {
        const raw = this.streaming?.entry === last ? this.streaming.raw + text : text;
        this.streaming = { entry: last, raw };
        last.text = bounded(this.redactor.process(raw, false).text);
      }
      return { index: this.entries.length - 1, entry: last };
    }
    if (!this.redactor) return this.push({ type: 'message', role, text: bounded(text), at: now });
    const change = this.push({ type: 'message', role, text: '', at: now });
    const entry = change.entry as SessionEntry & { type: 'message' };
    this.streaming = { entry, raw: text };
    entry.text = bounded(this.redactor.process(text, false).text);
    return change;
  }

  private toolCall(update: ToolCallUpdate, now: number): ConversationChange {
    const index = this.toolIndex.get(update.toolCallId);
    const existing = index === undefined ? undefined : this.entries[index - this.dropped];
    if (existing?.type === 'tool_call') {
      merge(existing.call, update, this.text);
      return { index: index! - this.dropped, entry: existing };
    }
    const call: SessionToolCall = { id: update.toolCallId, title: '', kind: 'other', status: 'pending', output: '', diffs: [], locations: [] };
    merge(call, update, this.text);
    const change = this.push({ type: 'tool_call', call, at: now });
    this.toolIndex.set(update.toolCallId, change.index + this.dropped);
    return change;
  }

  private replacePlan(entries: SessionPlanEntry[], now: number): ConversationChange {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      if (entry.type === 'plan') {
        entry.entries = entries;
        entry.at = now;
        return { index: i, entry };
      }
      if (entry.type === 'turn_end') break;
    }
    return this.push({ type: 'plan', entries, at: now });
  }

  private push(entry: SessionEntry): ConversationChange {
    // A new entry ends the message that was streaming: what it held back is shown now.
    if (this.streaming && this.streaming.entry !== entry) {
      const flushed = this.flushMessage();
      if (flushed) this.flushed.push(flushed);
    }
    this.entries.push(entry);
    if (this.entries.length > maxEntries) {
      this.entries.splice(0, this.entries.length - maxEntries);
      this.dropped += 1;
      if (this.entries[0]!.type !== 'notice') this.entries[0] = { type: 'notice', text: 'Earlier entries were dropped: Photon keeps the last 5000 per session.', at: entry.at };
    }
    return { index: this.entries.length - 1, entry };
  }
}

/** `kept` is how the conversation keeps a text (redacted, bounded). */
function merge(call: SessionToolCall, update: ToolCallUpdate, kept: (text: string) => string): void {
  if (update.title) call.title = kept(update.title);
  if (update.kind) call.kind = update.kind as ToolCallKind;
  if (update.status) call.status = update.status;
  if (update.locations) call.locations = update.locations.map((l) => l.path);
  const command = commandOf(update.rawInput);
  if (command) call.command = kept(command);
  if (update.content) {
    const text: string[] = [];
    const diffs = [];
    for (const content of update.content as ToolCallContent[]) {
      if (content.type === 'diff') diffs.push({ path: content.path, oldText: content.oldText == null ? null : kept(content.oldText), newText: kept(content.newText) });
      else if (content.type === 'content' && content.content.type === 'text') text.push(content.content.text);
    }
    if (diffs.length) call.diffs = diffs;
    if (text.length) call.output = kept(text.join('\n'));
  }
}

/** The command of an `execute` call, from the shapes the adapters send (`command` as a string or argv). */
function commandOf(raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const command = (raw as { command?: unknown }).command;
  if (typeof command === 'string') return command;
  if (Array.isArray(command) && command.every((part) => typeof part === 'string')) return command.join(' ');
  return undefined;
}

function bounded(text: string): string {
  return text.length > sessionTextLimit ? text.slice(0, sessionTextLimit) + cutNote : text;
}
