/**
 * A session's conversation with the agent's secrets hidden: a value streamed across two message
 * chunks never shows, even its start, in any state a listener is given; what was held back as a
 * possible start shows once the next entry proves it was not one.
 */
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../electron/engine/secrets/index.js';
import { Conversation } from '../../../electron/engine/sessions/conversation.js';

const secret = 'sk-live-SPLIT-0c4e81aa';
const chunk = (text: string) => ({ sessionUpdate: 'agent_message_chunk' as const, content: { type: 'text' as const, text } });

describe('a conversation that hides secrets', () => {
  it('never shows a value split across chunks, and shows a held-back ending once the message is over', () => {
    const conversation = new Conversation(new Redactor(new Map([['api-key', secret]])));
    const seen: string[] = [];
    const show = (change: { entry: unknown } | undefined) => change && seen.push(JSON.stringify(change.entry));

    show(conversation.apply(chunk(`the key is ${secret.slice(0, 9)}`)));
    show(conversation.apply(chunk(`${secret.slice(9)}, and it ends in sk-`)));
    show(conversation.turnEnd('end_turn'));
    for (const change of conversation.takeFlushed()) show(change);

    expect(seen.join('\n')).not.toContain(secret.slice(0, 9));
    expect(conversation.finalMessage()).toBe('the key is [secret api-key], and it ends in sk-');
    expect(seen.at(-1)).toContain('and it ends in sk-');
  });

  it('hides values in tool calls: title, command, output and diffs', () => {
    const conversation = new Conversation(new Redactor(new Map([['api-key', secret]])));
    conversation.apply({
      sessionUpdate: 'tool_call',
      toolCallId: 't1',
      title: `Write .env with ${secret}`,
      kind: 'edit',
      status: 'completed',
      rawInput: { command: ['sh', '-c', `echo ${secret}`] },
      content: [
        { type: 'diff', path: '/w/.env', oldText: `KEY=${secret}`, newText: `KEY=${secret}\nMORE=1` },
        { type: 'content', content: { type: 'text', text: `wrote ${secret}` } },
      ],
    });
    const kept = JSON.stringify(conversation.entries);
    expect(kept).not.toContain(secret);
    expect(conversation.toolCallById('t1')).toMatchObject({ title: 'Write .env with [secret api-key]', command: 'sh -c echo [secret api-key]', output: 'wrote [secret api-key]', diffs: [{ oldText: 'KEY=[secret api-key]', newText: 'KEY=[secret api-key]\nMORE=1' }] });
  });
});
