/**
 * The stand-in model's behaviour, the same for every vendor's API: a small language read from the
 * conversation, so a workflow's prompts script what the real CLIs receive back.
 *
 * - `reply with: TEXT` (to the end of the line): the final message is TEXT.
 * - `read the file NAME`: the model first calls the CLI's own file-reading tool (or its shell) on
 *   NAME; once the tool's result is in the conversation, the final message is the first
 *   `FILE-SAYS-...` word of that result (so the answer can only come from the tool having run).
 * - `ask a helper agent to: TASK` (Claude Code only): the model starts a subagent on a smaller
 *   model with TASK as its prompt; once the subagent's answer is back, the final message is its
 *   first `...-SAYS-...` word. Two models in one turn, as Claude Code's own helpers make.
 * - `[tag:NAME]`: which test case a request belongs to, for the request log.
 */

export interface Conversation {
  /** Every user-authored text of the request, oldest first (system prompts excluded). */
  userTexts: string[];
  /** Every tool result already in the conversation, oldest first. */
  toolResults: string[];
  /** The whole request body, for finding the tag. */
  raw: string;
}

export type ModelTurn = { kind: 'text'; text: string } | { kind: 'read-file'; path: string } | { kind: 'delegate'; task: string };

const replyWith = /reply with: ([^\n"\\]*)/i;
const readFile = /read the file ([^\s"\\]+)/i;
const delegate = /ask a helper agent to: ([^\n"\\]*)/i;
const says = /[A-Z]+-SAYS-[A-Za-z0-9-]+/;

export function tagOf(raw: string): string | undefined {
  return /\[tag:([A-Za-z0-9_-]+)\]/.exec(raw)?.[1];
}

/** What the model answers next; a request without an instruction (e.g. a title request) gets a short text. */
export function nextTurn(conversation: Conversation): ModelTurn {
  const instruction = [...conversation.userTexts].reverse().find((text) => replyWith.test(text) || readFile.test(text) || delegate.test(text));
  if (!instruction) return { kind: 'text', text: 'Stand-in model' };
  const task = delegate.exec(instruction)?.[1];
  const file = task === undefined ? readFile.exec(instruction)?.[1] : undefined;
  if (task !== undefined || file !== undefined) {
    const result = conversation.toolResults.map((text) => says.exec(text)?.[0]).find(Boolean);
    if (result) return { kind: 'text', text: result };
    // A tool result without the word means the tool ran but answered something else: say so plainly.
    if (conversation.toolResults.length > 0) return { kind: 'text', text: `TOOL-RESULT-WITHOUT-WORD: ${conversation.toolResults.join(' | ').slice(0, 300)}` };
    return task !== undefined ? { kind: 'delegate', task: task.trim() } : { kind: 'read-file', path: file! };
  }
  return { kind: 'text', text: replyWith.exec(instruction)![1]!.trim() };
}

/** Pulls every string out of a JSON value (message content comes in many shapes). */
export function textsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(textsIn);
  return [];
}
