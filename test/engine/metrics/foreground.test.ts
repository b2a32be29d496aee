/**
 * The program in a terminal's foreground, through a whole engine and a real shell in a real
 * pseudo-terminal: what a tab names while the shell runs something, and nothing at its prompt.
 */
import { describe, expect, it } from 'vitest';
import { useSandbox, waitUntil } from '../helpers.js';

describe.runIf(process.platform === 'linux')('the foreground program of a terminal', () => {
  const sandbox = useSandbox('foreground', { metrics: { sampleIntervalMs: 200 } });

  it('names what the shell runs, and nothing once it is back at its prompt', async () => {
    const { engine } = sandbox;
    const terminal = await engine.call('terminals.create', { cwd: sandbox.work, command: 'bash --norc --noprofile -i' });
    let program: string | null | undefined;
    engine.on('metrics.tick', (tick) => (program = tick.processes.find((p) => p.terminalId === terminal.id)?.foregroundProgram));
    // At its prompt the shell itself has the terminal.
    await waitUntil(() => program === null, 'a sample of the idle shell', 10_000);

    await engine.call('terminals.write', { id: terminal.id, data: 'sleep 30\r' });
    await waitUntil(() => program === 'sleep', 'sleep in the foreground', 10_000);
    // A pipeline is named by its first program, the leader of its process group.
    await engine.call('terminals.write', { id: terminal.id, data: '\x03' });
    await waitUntil(() => program === null, 'the prompt again after Ctrl-C', 10_000);
    await engine.call('terminals.write', { id: terminal.id, data: 'tail -f /dev/null | cat\r' });
    await waitUntil(() => program === 'tail', 'the pipeline in the foreground', 10_000);
    // A job sent to the background leaves the foreground to the shell.
    await engine.call('terminals.write', { id: terminal.id, data: '\x1a' });
    await waitUntil(() => program === null, 'the prompt after Ctrl-Z', 10_000);
    expect((await engine.call('metrics.snapshot', {})).processes.find((p) => p.terminalId === terminal.id)?.processes).toBeGreaterThan(1);
    await engine.call('terminals.kill', { id: terminal.id });
  });
});
