/**
 * What an AI tool was doing when its output stopped, read from the last of its events: said when a
 * step times out ("retrying after HTTP 500"), where "timed out" alone leaves the user guessing
 * whether the model, a command or the network was the wait.
 */
import { jsonLines, numberField, objectField, stringField, terminalLines, textTail, type JsonObject } from './terminal-text.js';

/** Claude Code's stream-json (and Cursor's, which shares it). */
export function claudeLastActivity(text: string): string | undefined {
  return lastOf(text, (event) => {
    if (event.type === 'system' && event.subtype === 'api_retry') {
      const status = numberField(event, 'error_status');
      const attempt = numberField(event, 'attempt');
      const max = numberField(event, 'max_retries');
      const reason = stringField(event, 'error');
      const cause = status !== undefined ? `HTTP ${status}` : 'a connection error';
      return `retrying after ${cause}${reason ? ` (${reason.replace(/_/g, ' ')})` : ''}${attempt !== undefined ? `, attempt ${attempt}${max !== undefined ? ` of ${max}` : ''}` : ''}`;
    }
    if (event.type === 'assistant') {
      const content = objectField(event, 'message')?.content;
      const blocks = Array.isArray(content) ? (content as JsonObject[]) : [];
      const tool = [...blocks].reverse().find((block) => block?.type === 'tool_use');
      if (tool) return runningTool(stringField(tool, 'name'));
      return 'writing its answer';
    }
    if (event.type === 'user') return 'waiting for the model after a tool result';
    if (event.type === 'system' && event.subtype === 'init') return 'waiting for the model to answer';
    return undefined;
  });
}

/** Codex's `exec --json` events. */
export function codexLastActivity(text: string): string | undefined {
  return lastOf(text, (event) => {
    const item = objectField(event, 'item');
    if (event.type === 'error') return `reporting "${stringField(event, 'message') ?? 'an error'}"`;
    if (event.type === 'item.started' && item?.type === 'command_execution') return `running \`${stringField(item, 'command') ?? 'a command'}\``;
    if (event.type === 'item.completed' && item?.type === 'command_execution') return 'waiting for the model after a command';
    if (event.type === 'item.completed' && item?.type === 'reasoning') return 'thinking';
    if (event.type === 'turn.started' || event.type === 'thread.started') return 'waiting for the model to answer';
    return undefined;
  });
}

/**
 * Gemini CLI's (and Antigravity's) stream-json events, and the retries 0.61 reports on stderr only
 * ("Attempt 2 failed with status 500. Retrying with backoff... _ApiError: ..." and a stack trace)
 * while its events still end at the prompt.
 */
export function geminiLastActivity(text: string): string | undefined {
  const retrying = geminiRetry(text);
  if (retrying) return retrying;
  return lastOf(text, (event) => {
    if (event.type === 'tool_use') return runningTool(stringField(event, 'tool_name'));
    if (event.type === 'tool_result') return 'waiting for the model after a tool result';
    if (event.type === 'error') return `reporting "${stringField(event, 'message') ?? 'an error'}"`;
    if (event.type === 'message' && event.role === 'assistant') return 'writing its answer';
    if (event.type === 'init' || (event.type === 'message' && event.role === 'user')) return 'waiting for the model to answer';
    return undefined;
  });
}

/** The newest line that is an event or a retry report; a retry report newer than every event is what it was doing. */
function geminiRetry(text: string): string | undefined {
  const lines = terminalLines(text);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    const retry = /^Attempt (\d+) failed(?: with status (\d+))?[:.]/.exec(line);
    if (retry) return `retrying after ${retry[2] ? `HTTP ${retry[2]}` : 'an API error'}, attempt ${retry[1]}`;
    if (line.startsWith('{') && jsonLines(line).length > 0) return undefined;
  }
  return undefined;
}

function runningTool(name: string | undefined): string {
  return name ? `running its ${name} tool` : 'running a tool';
}

/** The newest event a reader can name; else the last words the tool printed. */
function lastOf(text: string, describe: (event: JsonObject) => string | undefined): string | undefined {
  const events = jsonLines(text);
  for (let i = events.length - 1; i >= 0; i--) {
    const said = describe(events[i]!);
    if (said) return said;
  }
  const tail = textTail(text, 1);
  return tail ? `last printing "${tail.length > 160 ? `${tail.slice(0, 157)}...` : tail}"` : undefined;
}
