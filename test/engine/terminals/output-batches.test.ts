/**
 * The batches a terminal's views get are whole characters: views take them as UTF-8 (binary
 * WebSocket frames, shared/terminal-frames.ts), which cannot carry half a surrogate pair, and an
 * output filter (the redactor) may cut its text anywhere. Real pty; the filter is one that cuts.
 */
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalManager, type OutputFilter } from '../../../electron/engine/terminals/index.js';
import { decodeTerminalData, encodeTerminalData } from '../../../shared/terminal-frames.js';

const env = { ...(process.env as Record<string, string>), TERM: 'xterm-256color' };

/** Passes text on with every surrogate pair cut in two: each push ends right after a pair's first half. */
function pairCutter(): OutputFilter {
  let rest = '';
  return {
    push(chunk) {
      const text = rest + chunk;
      const cut = text.lastIndexOf('\uD83D');
      if (cut < 0) {
        rest = '';
        return text;
      }
      rest = text.slice(cut + 1);
      return text.slice(0, cut + 1);
    },
    flush() {
      const text = rest;
      rest = '';
      return text;
    },
  };
}

describe('terminal output batches', () => {
  let manager: TerminalManager | undefined;

  afterEach(async () => {
    await manager?.killAll();
  });

  it('never end inside a surrogate pair, so each one goes through a binary frame intact', async () => {
    const batches: string[] = [];
    manager = new TerminalManager({ data: (_id, data) => batches.push(data), updated: () => {} }, { batchMs: 1 });
    const line = 'a😀b😃c';
    const terminal = manager.create({
      file: '/bin/bash',
      args: ['-c', `for i in 1 2 3 4 5; do printf '${line}\\n'; sleep 0.1; done`],
      cwd: tmpdir(),
      env,
      title: 'test',
      command: null,
      outputFilter: pairCutter(),
    });
    await new Promise<void>((resolve) => terminal.onExit(() => resolve()));

    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(batch.charCodeAt(batch.length - 1) & 0xfc00).not.toBe(0xd800);
    // Each frame is decoded on its own, as xterm takes each one's bytes.
    const strict = new TextDecoder('utf-8', { fatal: true });
    const shown = batches.map((batch) => strict.decode(decodeTerminalData(encodeTerminalData(terminal.info.id, batch)).bytes)).join('');
    expect(shown).toBe(`${line}\r\n`.repeat(5));
  });
});
