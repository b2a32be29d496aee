/**
 * The batches a terminal's views get are whole characters: views take them as UTF-8 (binary
 * WebSocket frames, shared/terminal-frames.ts), which cannot carry half a surrogate pair, and an
 * output filter (the redactor) may cut its text anywhere. Real pty; the filter is one that cuts.
 * A batch's bytes as the pty gave them (sent to views in place of its text encoded again) are
 * exactly its text, and never the output a filter rewrote.
 */
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalManager, type OutputFilter } from '../../../electron/engine/terminals/index.js';
import { decodeTerminalData, encodeTerminalData, terminalDataFrameFromBytes } from '../../../shared/terminal-frames.js';

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

  /** Every batch of a terminal running `script`, with the frame a view taking bytes is sent for it. */
  async function batchesOf(script: string, outputFilter?: OutputFilter) {
    const batches: { data: string; frame: Uint8Array; asRead: boolean }[] = [];
    let id = '';
    manager = new TerminalManager(
      {
        data: (_id, data, bytes) => batches.push({ data, frame: bytes ? terminalDataFrameFromBytes(id, data.length, bytes) : encodeTerminalData(id, data), asRead: bytes !== undefined }),
        updated: () => {},
      },
      { batchMs: 1 },
    );
    const terminal = manager.create({ file: '/bin/bash', args: ['-c', script], cwd: tmpdir(), env, title: 'test', command: null, ...(outputFilter ? { outputFilter } : {}) });
    id = terminal.info.id;
    await new Promise<void>((resolve) => terminal.onExit(() => resolve()));
    return batches;
  }

  it("carry the pty's bytes, each batch's exactly, so views are sent them without encoding the text again", async () => {
    // € (342 202 254) and 😀 (360 237 230 200) cut between writes, a byte that is not UTF-8 (377),
    // and enough lines that the host's frames and the engine's reads cut characters anywhere.
    const batches = await batchesOf("printf 'A\\342\\202'; sleep 0.1; printf '\\254B\\360\\237'; sleep 0.1; printf '\\230\\200C\\377D\\n'; yes 'aé€😀b' | head -n 20000");
    const strict = new TextDecoder('utf-8', { fatal: true });
    for (const { data, frame } of batches) {
      const decoded = decodeTerminalData(frame);
      expect(decoded.chars).toBe(data.length);
      expect(strict.decode(decoded.bytes)).toBe(data);
    }
    const text = batches.map((batch) => batch.data).join('');
    expect(text).toBe('A€B😀C\uFFFDD\r\n' + 'aé€😀b\r\n'.repeat(20_000));
    // Most of the output went as it was read: only what held the invalid byte had to be encoded.
    const asRead = batches.filter((batch) => batch.asRead).reduce((sum, batch) => sum + batch.data.length, 0);
    expect(asRead, `${asRead} of ${text.length} characters sent as read`).toBeGreaterThan(text.length * 0.9);
  });

  it('carry no bytes but the filtered text where a filter rewrites the output (redacted secrets)', async () => {
    let rest = '';
    const redactor: OutputFilter = {
      // Holds back a tail that may be the start of the secret, as the redactor does.
      push(chunk) {
        const text = (rest + chunk).replaceAll('hunter2', '*******');
        rest = text.slice(-6);
        return text.slice(0, -6);
      },
      flush() {
        const text = rest;
        rest = '';
        return text;
      },
    };
    const batches = await batchesOf("for i in $(seq 2000); do echo \"line $i pass hunter2 é\"; done", redactor);
    const shown = batches.map(({ frame }) => new TextDecoder().decode(decodeTerminalData(frame).bytes)).join('');
    expect(shown).not.toContain('hunter2');
    expect(shown).toBe(batches.map((batch) => batch.data).join(''));
    expect(shown.split('*******').length).toBe(2001);
  });
});
