/** The Gemini API (`models/MODEL:generateContent`, `:streamGenerateContent?alt=sse`, `:countTokens`). */
import { isInstruction, nextTurn, shellWrite, textsIn, type Conversation, type ModelTurn } from './model.js';
import { json, list, record, sse, usageFor, type ApiHandler } from './vendor.js';

const statuses: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL' };
const messages: Record<number, string> = {
  400: 'Invalid JSON payload received.',
  401: 'API key not valid. Please pass a valid API key.',
  429: 'Resource has been exhausted (e.g. check quota).',
  500: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
};

function conversation(body: Record<string, unknown>): Conversation {
  const userTexts: string[] = [];
  const toolResults: string[] = [];
  for (const content of list(body.contents).map(record)) {
    if (content.role !== 'user') continue;
    for (const part of list(content.parts).map(record)) {
      if (part.functionResponse) toolResults.push(textsIn(record(part.functionResponse).response).join('\n'));
      else if (typeof part.text === 'string') {
        if (isInstruction(part.text)) toolResults.length = 0;
        userTexts.push(part.text);
      }
    }
  }
  return { userTexts, toolResults, raw: '' };
}

/** The path parameter a file tool's declaration names (it changed across versions), or undefined when the CLI has no such tool. */
function pathKey(body: Record<string, unknown>, tool: string): string | undefined {
  const declarations = list(body.tools).flatMap((t) => list(record(t).functionDeclarations)).map(record);
  const declared = declarations.find((d) => d.name === tool);
  if (!declared) return undefined;
  const properties = Object.keys(record(record(declared.parametersJsonSchema ?? declared.parameters).properties));
  return ['absolute_path', 'file_path', 'path'].find((name) => properties.includes(name)) ?? 'absolute_path';
}

/** Gemini CLI's file tool for the turn, else its shell. */
function fileCall(body: Record<string, unknown>, turn: ModelTurn): { name: string; args: Record<string, unknown> } | undefined {
  if (turn.kind === 'read-file') {
    const key = pathKey(body, 'read_file');
    return key ? { name: 'read_file', args: { [key]: turn.path } } : { name: 'run_shell_command', args: { command: `cat ${turn.path}` } };
  }
  if (turn.kind === 'write-file') {
    const key = pathKey(body, 'write_file');
    return key ? { name: 'write_file', args: { [key]: turn.path, content: `${turn.text}\n` } } : { name: 'run_shell_command', args: { command: shellWrite(turn.path, turn.text) } };
  }
  return undefined;
}

/** An answer to a request for JSON (the CLI's own routing and next-speaker checks): the schema's first choices. */
function jsonFor(schema: Record<string, unknown>): Record<string, unknown> {
  const answer: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(record(schema.properties)).map(([n, p]) => [n, record(p)] as const)) {
    const choices = list(property.enum);
    const type = String(property.type).toLowerCase();
    answer[name] = choices.length > 0 ? (name === 'next_speaker' && choices.includes('user') ? 'user' : choices[0]) : type === 'number' || type === 'integer' ? 1 : type === 'boolean' ? false : 'stand-in';
  }
  return answer;
}

export const geminiApi: ApiHandler = {
  name: 'gemini',
  matches: (method, path) => method === 'POST' && /^\/v1(beta|alpha)?\/models\/[^/]+:(generateContent|streamGenerateContent|countTokens)$/.test(path),
  credential(req, url, apiKey) {
    const header = req.headers['x-goog-api-key'];
    const given = typeof header === 'string' ? header : (url.searchParams.get('key') ?? undefined);
    return { ok: given === apiKey, carried: typeof header === 'string' ? 'x-goog-api-key' : given ? 'key' : undefined };
  },
  answer({ body: raw, url, res, seq }) {
    const body = record(raw);
    const model = decodeURIComponent(/models\/([^/:]+)/.exec(url.pathname)?.[1] ?? 'gemini-stand-in');
    if (url.pathname.endsWith(':countTokens')) {
      json(res, 200, { totalTokens: 10 });
      return { model };
    }
    const { base, small } = usageFor(seq);
    const cached = 100 + (seq % 9);
    const usageMetadata = { promptTokenCount: base, candidatesTokenCount: small, totalTokenCount: base + small, cachedContentTokenCount: cached };
    const config = record(body.generationConfig);
    const schema = record(config.responseJsonSchema ?? config.responseSchema);
    const wantsJson = config.responseMimeType === 'application/json';
    const turn = wantsJson ? undefined : nextTurn(conversation(body));
    const call = turn ? fileCall(body, turn) : undefined;
    const part = call ? { functionCall: call } : { text: wantsJson ? JSON.stringify(jsonFor(schema)) : turn?.kind === 'text' ? turn.text : '' };
    const chunk = { candidates: [{ content: { role: 'model', parts: [part] }, finishReason: 'STOP', index: 0 }], usageMetadata, modelVersion: model, responseId: `standin-${seq}` };
    if (url.pathname.endsWith(':streamGenerateContent')) sse(res, [{ data: chunk }]);
    else json(res, 200, chunk);
    return { usage: { input: base, output: small, cacheRead: cached, cacheWrite: 0 }, model, toolCall: Boolean(call) };
  },
  error(res, status) {
    json(res, status, { error: { code: status, message: messages[status] ?? `HTTP ${status}`, status: statuses[status] ?? 'UNKNOWN' } }, status === 429 ? { 'retry-after': '1' } : {});
  },
};
