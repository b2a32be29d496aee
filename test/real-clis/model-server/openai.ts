/** The OpenAI Responses API (`POST /v1/responses`), streamed over SSE as Codex reads it. */
import { isInstruction, nextTurn, shellWrite, textsIn, type Conversation } from './model.js';
import { bearer, json, list, record, sse, usageFor, type ApiHandler } from './vendor.js';

const errorBodies: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'We could not parse the JSON body of your request.'],
  401: ['invalid_request_error', 'Incorrect API key provided.'],
  429: ['rate_limit_exceeded', 'Rate limit reached for requests'],
  500: ['server_error', 'The server had an error while processing your request.'],
};

function conversation(body: Record<string, unknown>): Conversation {
  const userTexts: string[] = [];
  const toolResults: string[] = [];
  const input = typeof body.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : list(body.input).map(record);
  for (const item of input) {
    if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') toolResults.push(textsIn(item.output).join('\n'));
    else if ((item.type === 'message' || item.type === undefined) && item.role === 'user') {
      const text = textsIn(item.content).join('\n');
      if (isInstruction(text)) toolResults.length = 0;
      userTexts.push(text);
    }
  }
  return { userTexts, toolResults, raw: '' };
}

/** Every tool the request offers, wherever this Codex version puts them (`tools`, or namespaces in an `additional_tools` input item). */
function offeredTools(body: Record<string, unknown>): Record<string, unknown>[] {
  const flatten = (tools: unknown[]): Record<string, unknown>[] => tools.map(record).flatMap((tool) => (tool.type === 'namespace' ? flatten(list(tool.tools)) : [tool]));
  const additional = list(body.input).map(record).filter((item) => item.type === 'additional_tools');
  return flatten([...list(body.tools), ...additional.flatMap((item) => list(item.tools))]);
}

type ToolCallItem = { type: 'function_call'; name: string; arguments: string } | { type: 'custom_tool_call'; name: string; input: string };

/** A call of whichever shell tool this Codex offers (the names and shapes changed across versions). */
function shellCall(body: Record<string, unknown>, command: string): ToolCallItem {
  const tools = offeredTools(body);
  const has = (name: string, type?: string) => tools.some((tool) => tool.name === name && (type === undefined || tool.type === type));
  // 0.171: one JavaScript `exec` tool through which every other tool is called.
  if (has('exec', 'custom')) return { type: 'custom_tool_call', name: 'exec', input: `const r = await tools.exec_command({ cmd: ${JSON.stringify(command)} });\ntext(r);` };
  if (has('exec_command')) return { type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: command }) };
  if (has('shell_command')) return { type: 'function_call', name: 'shell_command', arguments: JSON.stringify({ command }) };
  return { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', command] }) };
}

export const openaiApi: ApiHandler = {
  name: 'openai',
  matches: (method, path) => method === 'POST' && /^(\/v1)?\/responses$/.test(path),
  credential(req, _url, apiKey) {
    const given = bearer(req);
    return { ok: given === apiKey, carried: given === undefined ? undefined : 'authorization' };
  },
  session(_req, body) {
    const thread = record(record(body).client_metadata).thread_id;
    return typeof thread === 'string' ? thread : undefined;
  },
  answer({ body: raw, res, seq }) {
    const body = record(raw);
    const model = typeof body.model === 'string' ? body.model : 'gpt-stand-in';
    const turn = nextTurn(conversation(body));
    const { base, small } = usageFor(seq);
    const cached = 200 + (seq % 7);
    const usage = { input_tokens: base, input_tokens_details: { cached_tokens: cached }, output_tokens: small, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: base + small };
    const id = `resp_standin_${seq}`;
    const call = turn.kind === 'read-file' ? shellCall(body, `cat ${turn.path}`) : turn.kind === 'write-file' ? shellCall(body, shellWrite(turn.path, turn.text)) : undefined;
    const item = call
      ? { ...call, id: `fc_standin_${seq}`, call_id: `call_standin_${seq}`, status: 'completed' }
      : { type: 'message', id: `msg_standin_${seq}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: turn.kind === 'text' ? turn.text : '', annotations: [] }] };
    const response = { id, object: 'response', created_at: Math.floor(Date.now() / 1000), model, status: 'in_progress', output: [] as unknown[] };
    const text = item.type === 'message' ? (turn as { text: string }).text : undefined;
    sse(res, [
      { event: 'response.created', data: { type: 'response.created', response } },
      { event: 'response.output_item.added', data: { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', ...(text !== undefined ? { content: [] } : call?.type === 'function_call' ? { arguments: '' } : { input: '' }) } } },
      ...(text !== undefined ? [{ event: 'response.output_text.delta', data: { type: 'response.output_text.delta', item_id: item.id, output_index: 0, content_index: 0, delta: text } }] : []),
      { event: 'response.output_item.done', data: { type: 'response.output_item.done', output_index: 0, item } },
      { event: 'response.completed', data: { type: 'response.completed', response: { ...response, status: 'completed', output: [item], usage } } },
    ]);
    return { usage: { input: base, output: small, cacheRead: cached, cacheWrite: 0 }, model, toolCall: Boolean(call) };
  },
  error(res, status) {
    const [type, message] = errorBodies[status] ?? ['server_error', `HTTP ${status}`];
    json(res, status, { error: { message, type, param: null, code: status === 401 ? 'invalid_api_key' : null } }, status === 429 ? { 'retry-after': '1' } : {});
  },
};
