import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ptyStarter } from './started-ptys.js';

/**
 * What the pty host learned about a program's input and its end, whichever host runs (the host in C
 * where photon-pty-spawner is built, the Node host otherwise): its output is whole before its exit,
 * a job it left may finish what it prints, and input it is slow to read still reaches it, in order.
 */
const start = ptyStarter();

describe("a terminal's program", () => {
  it('has all of its output reported before its exit, even what the kernel still held when it ended', async () => {
    const lines = 2000;
    for (let trial = 0; trial < 5; trial++) {
      const { output, exited } = start('/bin/sh', ['-c', `seq 1 ${lines}; exit 3`]);
      expect(await exited).toEqual({ exitCode: 3, signal: null });
      expect(output().trimEnd().split('\r\n')).toHaveLength(lines);
      expect(output().trimEnd().endsWith(`\r\n${lines}`)).toBe(true);
    }
  });

  it('that leaves a job holding its terminal is reported ended once the job has printed (within the grace)', async () => {
    // Immune to the hang-up its shell's end sends it, and done well within the host's grace.
    const { output, exited } = start('/bin/sh', ['-c', 'trap "" HUP; (sleep 0.05; echo late) & echo early']);
    expect(await exited).toEqual({ exitCode: 0, signal: null });
    expect(output()).toContain('early');
    expect(output()).toContain('late');
  });

  it('gets all of its input, in order, though it reads none of it until the terminal is full', async () => {
    // Raw mode: no line editing, no echo; the program reads only after a while, so the host finds
    // the terminal full and has to write the rest later.
    const input = Buffer.alloc(200_000);
    for (let i = 0; i < input.length; i++) input[i] = 0x41 + ((i * 7) % 26);
    const { child, output, exited } = start('/bin/sh', ['-c', `stty raw -echo; echo ready; sleep 0.3; head -c ${input.length} | md5sum`]);
    await child.started;
    while (!output().includes('ready')) await new Promise((resolve) => setTimeout(resolve, 10));
    for (let at = 0; at < input.length; at += 50_000) child.write(input.subarray(at, at + 50_000).toString('latin1'));
    expect(await exited).toEqual({ exitCode: 0, signal: null });
    expect(output()).toContain(createHash('md5').update(input).digest('hex'));
  });
});
