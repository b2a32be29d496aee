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

export class Conversation {
  readonly entries: SessionEntry[] = [];
  readonly usage: SessionUsage = {};
  private readonly toolIndex = new Map<string, number>();
  private dropped = 0;

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
        return this.replacePlan(update.entries.map((e) => ({ content: bounded(e.content), priority: e.priority, status: e.status })), now);
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
    return this.push({ type: 'message', role: 'user', text: bounded(text), at: now });
  }

  notice(text: string, now = Date.now()): ConversationChange {
    return this.push({ type: 'notice', text, at: now });
  }

  turnEnd(stopReason: string, now = Date.now()): ConversationChange {
    return this.push({ type: 'turn_end', stopReason, at: now });
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
    merge(call, update);
    return call;
  }

  private appendText(role: 'user' | 'agent' | 'thought', text: string, now: number): ConversationChange {
    const last = this.entries.at(-1);
    if (last?.type === 'message' && last.role === role) {
      last.text = bounded(last.text + text);
      return { index: this.entries.length - 1, entry: last };
    }
    return this.push({ type: 'message', role, text: bounded(text), at: now });
  }

  private toolCall(update: ToolCallUpdate, now: number): ConversationChange {
    const index = this.toolIndex.get(update.toolCallId);
    const existing = index === undefined ? undefined : this.entries[index - this.dropped];
    if (existing?.type === 'tool_call') {
      merge(existing.call, update);
      return { index: index! - this.dropped, entry: existing };
    }
    const call: SessionToolCall = { id: update.toolCallId, title: '', kind: 'other', status: 'pending', output: '', diffs: [], locations: [] };
    merge(call, update);
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
    this.entries.push(entry);
    if (this.entries.length > maxEntries) {
      this.entries.splice(0, this.entries.length - maxEntries);
      this.dropped += 1;
      if (this.entries[0]!.type !== 'notice') this.entries[0] = { type: 'notice', text: 'Earlier entries were dropped: Photon keeps the last 5000 per session.', at: entry.at };
    }
    return { index: this.entries.length - 1, entry };
  }
}

function merge(call: SessionToolCall, update: ToolCallUpdate): void {
  if (update.title) call.title = bounded(update.title);
  if (update.kind) call.kind = update.kind as ToolCallKind;
  if (update.status) call.status = update.status;
  if (update.locations) call.locations = update.locations.map((l) => l.path);
  const command = commandOf(update.rawInput);
  if (command) call.command = command;
  if (update.content) {
    const text: string[] = [];
    const diffs = [];
    for (const content of update.content as ToolCallContent[]) {
      if (content.type === 'diff') diffs.push({ path: content.path, oldText: content.oldText ?? null, newText: bounded(content.newText) });
      else if (content.type === 'content' && content.content.type === 'text') text.push(content.content.text);
    }
    if (diffs.length) call.diffs = diffs;
    if (text.length) call.output = bounded(text.join('\n'));
  }
}

/** The command of an `execute` call, from the shapes the adapters send (`command` as a string or argv). */
function commandOf(raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const command = (raw as { command?: unknown }).command;
  if (typeof command === 'string') return bounded(command);
  if (Array.isArray(command) && command.every((part) => typeof part === 'string')) return bounded(command.join(' '));
  return undefined;
}

function bounded(text: string): string {
  return text.length > sessionTextLimit ? text.slice(0, sessionTextLimit) + cutNote : text;
}
