/**
 * The two line-delimited JSON vocabularies the AI CLIs share: Claude Code's (`system`, `assistant`,
 * `user`, `result`; Cursor's agent follows it) and Gemini CLI's (`init`, `message`, `tool_use`,
 * `tool_result`, `error`, `result`).
 */
import type { ToolExit, ToolResult, TokenUsage } from './tool-adapter.js';
import { exitDescription, isObject, jsonDocuments, jsonLines, numberField, objectField, stringField, textTail, type JsonObject } from './terminal-text.js';

export interface StreamOptions {
  /** The tool's name in messages: "Claude Code", "Cursor agent". */
  tool: string;
  /** Keep `total_cost_usd`: only where it is money the user spent at that provider. */
  reportsCost: boolean;
  /** Exit codes with a meaning of their own, for the message when no result says more. */
  exitCodes?: Readonly<Record<number, string>>;
}

/** Claude Code's `--output-format stream-json` (also its single-object `json`), and Cursor's. */
export function parseClaudeStream(text: string, exit: ToolExit, options: StreamOptions): ToolResult {
  const events = jsonLines(text);
  let sessionId: string | undefined;
  let lastAssistantText: string | undefined;
  let result: JsonObject | undefined;
  let authRefused = false;

  for (const event of events) {
    sessionId = stringField(event, 'session_id') ?? sessionId;
    const type = stringField(event, 'type');
    if (type === 'assistant') {
      // An API error comes as a synthetic assistant message: it is the step's error, not its output.
      if (isApiErrorMessage(event)) {
        if (authErrors.has(stringField(event, 'error') ?? '')) authRefused = true;
        continue;
      }
      const said = messageText(objectField(event, 'message'));
      if (said) lastAssistantText = said;
    } else if (type === 'result') {
      result = event;
    }
  }

  if (!result) {
    return withoutUndefined({
      output: lastAssistantText ?? '',
      sessionId,
      error: stoppedEarly(options, text, exit),
      authFailure: authRefused || undefined,
    });
  }

  const subtype = stringField(result, 'subtype') ?? 'success';
  const turns = numberField(result, 'num_turns');
  const errors = stringList(result.errors);
  const resultText = stringField(result, 'result');
  const httpStatus = numberField(result, 'api_error_status');
  let error: string | undefined;
  if (subtype === 'error_max_turns') {
    error = `${options.tool} reached its turn limit${turns !== undefined ? ` after ${turns} turns` : ''}${errors.length ? `: ${errors.join('; ')}` : ''}`;
  } else if (subtype === 'error_max_budget_usd') {
    error = `${options.tool} reached its spending limit${errors.length ? `: ${errors.join('; ')}` : ''}`;
  } else if (subtype.startsWith('error')) {
    const reason = errors.length ? errors.join('; ') : resultText || subtype.replace(/_/g, ' ');
    error = `${options.tool} failed during execution: ${reason}`;
  } else if (result.is_error === true) {
    error = `${options.tool} reported an error${httpStatus !== undefined ? ` (HTTP ${httpStatus})` : ''}: ${resultText || errors.join('; ') || 'no message'}`;
  } else if (exit.exitCode !== 0) {
    error = `${options.tool} ${exitDescription(exit)} after reporting success${tailSuffix(text)}`;
  }

  return withoutUndefined({
    // A failed step's output is what it said before failing; its result text is then the error.
    output: (error === undefined ? resultText : undefined) ?? lastAssistantText ?? '',
    sessionId: stringField(result, 'session_id') ?? sessionId,
    costUsd: options.reportsCost ? numberField(result, 'total_cost_usd') : undefined,
    tokens: modelUsageTokens(objectField(result, 'modelUsage')) ?? claudeTokens(objectField(result, 'usage')),
    turns,
    error,
    authFailure: authRefused || (httpStatus !== undefined && authStatuses.has(httpStatus)) || undefined,
  });
}

/** Claude Code's `error` on an API error message that means the credentials were refused. */
const authErrors = new Set(['authentication_failed', 'oauth_org_not_allowed']);
const authStatuses = new Set([401, 403]);

function isApiErrorMessage(event: JsonObject): boolean {
  return event.is_api_error_message === true || stringField(objectField(event, 'message'), 'model') === '<synthetic>';
}

/**
 * `modelUsage`: per model, every request the CLI made (its session title too), which is what
 * `total_cost_usd` covers; `usage` covers the main loop only.
 */
function modelUsageTokens(models: JsonObject | undefined): TokenUsage | undefined {
  if (!models) return undefined;
  let found = false;
  const total = { input: 0, output: 0, cached: 0, cacheWrite: 0 };
  for (const model of Object.values(models)) {
    if (!isObject(model)) continue;
    const input = numberField(model, 'inputTokens');
    const output = numberField(model, 'outputTokens');
    if (input === undefined && output === undefined) continue;
    found = true;
    const cacheRead = numberField(model, 'cacheReadInputTokens') ?? 0;
    const cacheWrite = numberField(model, 'cacheCreationInputTokens') ?? 0;
    total.input += (input ?? 0) + cacheRead + cacheWrite;
    total.output += output ?? 0;
    total.cached += cacheRead;
    total.cacheWrite += cacheWrite;
  }
  return found ? total : undefined;
}

/** Text blocks of an Anthropic-style message (`content` as blocks or as a plain string). */
function messageText(message: JsonObject | undefined): string | undefined {
  const content = message?.content;
  if (typeof content === 'string') return content || undefined;
  if (!Array.isArray(content)) return undefined;
  const parts = content.filter((block): block is JsonObject => isObject(block) && block.type === 'text').map((block) => stringField(block, 'text') ?? '');
  const joined = parts.join('');
  return joined === '' ? undefined : joined;
}

function claudeTokens(usage: JsonObject | undefined): TokenUsage | undefined {
  if (!usage) return undefined;
  const input = numberField(usage, 'input_tokens');
  const output = numberField(usage, 'output_tokens');
  if (input === undefined && output === undefined) return undefined;
  const cacheRead = numberField(usage, 'cache_read_input_tokens') ?? 0;
  const cacheWrite = numberField(usage, 'cache_creation_input_tokens') ?? 0;
  // Anthropic counts cache reads and writes apart from input_tokens; the others include them.
  return { input: (input ?? 0) + cacheRead + cacheWrite, output: output ?? 0, cached: cacheRead, cacheWrite };
}

/** Gemini CLI's `--output-format stream-json`, or its `json` object when no stream events are found. */
export function parseGeminiStream(text: string, exit: ToolExit, options: StreamOptions): ToolResult {
  const events = jsonLines(text).filter((event) => typeof event.type === 'string');
  const streamed = events.some((event) => event.type === 'init' || event.type === 'message' || event.type === 'result');
  if (!streamed) return parseGeminiJson(text, exit, options);

  let sessionId: string | undefined;
  // Assistant text since the last tool call, and the text before it, like the CLI's own json mode.
  let current = '';
  let previous = '';
  let result: JsonObject | undefined;
  const errors: string[] = [];

  for (const event of events) {
    switch (event.type) {
      case 'init':
        sessionId = stringField(event, 'session_id') ?? sessionId;
        break;
      case 'message': {
        if (event.role !== 'assistant') break;
        const content = stringField(event, 'content') ?? '';
        current = event.delta === true ? current + content : content;
        break;
      }
      case 'tool_use':
        if (current.trim() !== '') previous = current;
        current = '';
        break;
      case 'error':
        if (event.severity !== 'warning') errors.push(stringField(event, 'message') ?? 'unknown error');
        break;
      case 'result':
        result = event;
        break;
    }
  }

  const output = current.trim() !== '' ? current : previous;
  const stats = objectField(result, 'stats');
  const tokens = streamStatsTokens(stats);
  let error: string | undefined;
  if (!result) {
    error = stoppedEarly(options, text, exit, errors);
  } else if (result.status === 'error' || objectField(result, 'error')) {
    const message = stringField(objectField(result, 'error'), 'message') ?? (errors.join('; ') || 'no message');
    error = `${options.tool} failed: ${message}${exitMeaning(options, exit)}`;
  } else if (exit.exitCode !== 0) {
    error = `${options.tool} ${exitDescription(exit)}${exitMeaning(options, exit)}${errors.length ? `: ${errors.join('; ')}` : tailSuffix(text)}`;
  }
  return withoutUndefined({ output, sessionId: stringField(result, 'session_id') ?? sessionId, tokens, error });
}

/** `{ session_id?, response, stats, error }`, printed indented (errors go to stderr, same shape). */
function parseGeminiJson(text: string, exit: ToolExit, options: StreamOptions): ToolResult {
  const documents = jsonDocuments(text).filter((doc) => 'response' in doc || 'error' in doc || 'stats' in doc);
  const doc = documents[documents.length - 1];
  if (!doc) return { output: '', error: stoppedEarly(options, text, exit) };
  const errorObject = objectField(doc, 'error');
  const response = stringField(doc, 'response') ?? '';
  let error: string | undefined;
  if (errorObject) error = `${options.tool} failed: ${stringField(errorObject, 'message') ?? 'no message'}${exitMeaning(options, exit)}`;
  else if (exit.exitCode !== 0) error = `${options.tool} ${exitDescription(exit)}${exitMeaning(options, exit)}${tailSuffix(text)}`;
  return withoutUndefined({
    output: response,
    sessionId: stringField(doc, 'session_id'),
    tokens: sessionMetricsTokens(objectField(doc, 'stats')),
    error,
  });
}

/** stream-json's result stats: totals at the top, per model below. */
function streamStatsTokens(stats: JsonObject | undefined): TokenUsage | undefined {
  if (!stats) return undefined;
  const input = numberField(stats, 'input_tokens');
  const output = numberField(stats, 'output_tokens');
  if (input === undefined && output === undefined) return undefined;
  const cached = numberField(stats, 'cached');
  return withoutUndefined({ input: input ?? 0, output: output ?? 0, cached });
}

/** json mode's stats: the CLI's session metrics, tokens per model. */
function sessionMetricsTokens(stats: JsonObject | undefined): TokenUsage | undefined {
  const models = objectField(stats, 'models');
  if (!models) return undefined;
  let input = 0;
  let output = 0;
  let cached = 0;
  let found = false;
  for (const model of Object.values(models)) {
    const tokens = objectField(isObject(model) ? model : undefined, 'tokens');
    if (!tokens) continue;
    found = true;
    input += numberField(tokens, 'prompt') ?? numberField(tokens, 'input') ?? 0;
    output += numberField(tokens, 'candidates') ?? 0;
    cached += numberField(tokens, 'cached') ?? 0;
  }
  return found ? { input, output, cached } : undefined;
}

function stoppedEarly(options: StreamOptions, text: string, exit: ToolExit, errors: readonly string[] = []): string {
  const said = errors.length ? `: ${errors.join('; ')}` : tailSuffix(text);
  if (exit.exitCode === 0) return `${options.tool} ended without reporting a result${said}`;
  return `${options.tool} stopped before reporting a result (${exitDescription(exit)}${exitMeaning(options, exit, false)})${said}`;
}

function exitMeaning(options: StreamOptions, exit: ToolExit, withSeparator = true): string {
  const meaning = exit.exitCode !== null ? options.exitCodes?.[exit.exitCode] : undefined;
  if (!meaning) return '';
  return withSeparator ? ` (${meaning})` : `: ${meaning}`;
}

function tailSuffix(text: string): string {
  const tail = textTail(text, 3);
  return tail ? `: ${tail}` : '';
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

export function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
