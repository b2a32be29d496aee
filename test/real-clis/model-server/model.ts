/**
 * The stand-in model's behaviour, the same for every vendor's API: a small language read from the
 * conversation, so a workflow's prompts script what the real CLIs receive back.
 *
 * - `reply with: TEXT` (to the end of the line): the final message is TEXT.
 * - `read the file NAME`: the model first calls the CLI's own file-reading tool (or its shell) on
 *   NAME; once the tool's result is in the conversation, the final message is the first
 *   `FILE-SAYS-...` word of that result (so the answer can only come from the tool having run).
 * - `write the file PATH with: TEXT` (to the end of the line): the model calls the CLI's own
 *   file-writing tool (else its shell) to write TEXT into PATH, a call every CLI asks permission
 *   for in its default mode; once the tool's result is in the conversation, the final message is
 *   `TOOL-SAID: ` and the start of that result (success or refusal, as the CLI reported it).
 * - `ask a helper agent to: TASK` (Claude Code only): the model starts a subagent on a smaller
 *   model with TASK as its prompt; once the subagent's answer is back, the final message is its
 *   first `...-SAYS-...` word. Two models in one turn, as Claude Code's own helpers make.
 * - `[tag:NAME]`: which test case a request belongs to, for the request log.
 */

export interface Conversation {
  /** Every user-authored text of the request, oldest first (system prompts excluded). */
  userTexts: string[];
  /** The tool results that came after the last instruction (see {@link isInstruction}), oldest first. */
  toolResults: string[];
  /** The whole request body, for finding the tag. */
  raw: string;
}

export type ModelTurn = { kind: 'text'; text: string } | { kind: 'read-file'; path: string } | { kind: 'write-file'; path: string; text: string } | { kind: 'delegate'; task: string };

const replyWith = /reply with: ([^\n"\\]*)/i;
const readFile = /read the file ([^\s"\\]+)/i;
const delegate = /ask a helper agent to: ([^\n"\\]*)/i;
const writeFile = /write the file ([^\s"\\]+) with: ([^\n"\\]*)/i;
const says = /[A-Z]+-SAYS-[A-Za-z0-9-]+/;

/** Whether a user text gives the model an instruction; the tool results before it belong to earlier turns. */
export function isInstruction(text: string): boolean {
  return replyWith.test(text) || readFile.test(text) || writeFile.test(text) || delegate.test(text);
}

export function tagOf(raw: string): string | undefined {
  return /\[tag:([A-Za-z0-9_-]+)\]/.exec(raw)?.[1];
}

/** What the model answers next; a request without an instruction (e.g. a title request) gets a short text. */
export function nextTurn(conversation: Conversation): ModelTurn {
  const instruction = [...conversation.userTexts].reverse().find(isInstruction);
  if (!instruction) return { kind: 'text', text: 'Stand-in model' };
  const write = writeFile.exec(instruction);
  if (write) {
    const said = conversation.toolResults.at(-1);
    if (said !== undefined) return { kind: 'text', text: `TOOL-SAID: ${said.replace(/\s+/g, ' ').trim().slice(0, 300)}` };
    return { kind: 'write-file', path: write[1]!, text: write[2]!.replace(/\[tag:[^\]]*\]/g, '').trim() };
  }
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

/** A shell command that writes TEXT and a newline into PATH (for a CLI whose only tool is its shell). */
export function shellWrite(path: string, text: string): string {
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  return `printf '%s\\n' ${quote(text)} > ${quote(path)}`;
}

/** Pulls every string out of a JSON value (message content comes in many shapes). */
export function textsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(textsIn);
  return [];
}
