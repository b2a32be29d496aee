/** The Anthropic Messages API (`POST /v1/messages`), streamed as Claude Code asks for it. */
import { isInstruction, nextTurn, shellWrite, textsIn, type Conversation, type ModelTurn } from './model.js';
import { bearer, json, list, record, sse, usageFor, type ApiHandler } from './vendor.js';

const errorTypes: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'the request body is not JSON'],
  401: ['authentication_error', 'invalid x-api-key'],
  429: ['rate_limit_error', 'Number of requests has exceeded your rate limit'],
  500: ['api_error', 'Internal server error'],
};

function conversation(body: Record<string, unknown>): Conversation {
  const userTexts: string[] = [];
  const toolResults: string[] = [];
  for (const message of list(body.messages).map(record)) {
    if (message.role !== 'user') continue;
    const content = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : list(message.content).map(record);
    for (const block of content) {
      if (block.type === 'tool_result') toolResults.push(textsIn(block.content).join('\n'));
      else if (block.type === 'text' && typeof block.text === 'string') {
        if (isInstruction(block.text)) toolResults.length = 0;
        userTexts.push(block.text);
      }
    }
  }
  return { userTexts, toolResults, raw: '' };
}

/** The tool call a turn asks for: the CLI's file tools (else its shell), or a subagent on the small model. */
function toolCall(tools: Record<string, unknown>[], turn: ModelTurn): { name: string; input: Record<string, unknown> } | undefined {
  const names = tools.map((tool) => tool.name);
  if (turn.kind === 'delegate') {
    // In the foreground: a background agent's answer comes in a later turn, with a `result` line per turn.
    return { name: names.includes('Agent') ? 'Agent' : 'Task', input: { description: 'Ask a helper', prompt: turn.task, subagent_type: 'general-purpose', model: 'haiku', run_in_background: false } };
  }
  if (turn.kind === 'write-file') {
    if (names.includes('Write')) return { name: 'Write', input: { file_path: turn.path, content: `${turn.text}\n` } };
    return { name: 'Bash', input: { command: shellWrite(turn.path, turn.text), description: 'Write the file' } };
  }
  if (turn.kind !== 'read-file') return undefined;
  if (names.includes('Read')) return { name: 'Read', input: { file_path: turn.path } };
  return { name: 'Bash', input: { command: `cat ${turn.path}`, description: 'Read the file' } };
}

export const anthropicApi: ApiHandler = {
  name: 'anthropic',
  matches: (method, path) => method === 'POST' && path === '/v1/messages',
  credential(req, _url, apiKey) {
    const given = req.headers['x-api-key'] ?? bearer(req);
    const carried = req.headers['x-api-key'] ? 'x-api-key' : bearer(req) ? 'authorization' : undefined;
    return { ok: given === apiKey, carried };
  },
  session(req) {
    const header = req.headers['x-claude-code-session-id'];
    return typeof header === 'string' ? header : undefined;
  },
  answer({ body: raw, res, seq }) {
    const body = record(raw);
    const model = typeof body.model === 'string' ? body.model : 'claude-stand-in';
    const turn = nextTurn(conversation(body));
    const { base, small } = usageFor(seq);
    // Claude's input_tokens excludes the cached parts; `usage.input` below counts them all.
    const fresh = base;
    const cacheRead = 300 + (seq % 5);
    const cacheWrite = 40 + (seq % 3);
    const output = small;
    const usage = { input_tokens: fresh, cache_read_input_tokens: cacheRead, cache_creation_input_tokens: cacheWrite, output_tokens: output };
    const id = `msg_standin_${seq}`;
    const call = toolCall(list(body.tools).map(record), turn);
    const block = call ? { type: 'tool_use', id: `toolu_standin_${seq}`, name: call.name, input: call.input } : { type: 'text', text: turn.kind === 'text' ? turn.text : '' };
    const stopReason = call ? 'tool_use' : 'end_turn';
    const neutral = { input: fresh + cacheRead + cacheWrite, output, cacheRead, cacheWrite };

    if (body.stream !== true) {
      json(res, 200, { id, type: 'message', role: 'assistant', model, content: [block], stop_reason: stopReason, stop_sequence: null, usage });
      return { usage: neutral, model, toolCall: Boolean(call) };
    }
    const start = call ? { ...block, input: {} } : { type: 'text', text: '' };
    const delta = call ? { type: 'input_json_delta', partial_json: JSON.stringify(call.input) } : { type: 'text_delta', text: (block as { text: string }).text };
    sse(res, [
      { event: 'message_start', data: { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } } },
      { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: start } },
      { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta } },
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: output } } },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ]);
    return { usage: neutral, model, toolCall: Boolean(call) };
  },
  error(res, status) {
    const [type, message] = errorTypes[status] ?? ['api_error', `HTTP ${status}`];
    json(res, status, { type: 'error', error: { type, message } }, status === 429 ? { 'retry-after': '1' } : {});
  },
};
