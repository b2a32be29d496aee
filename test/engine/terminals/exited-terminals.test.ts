import { afterEach, describe, expect, it, vi } from 'vitest';
import { TerminalManager, type TerminalHandle } from '../../../electron/engine/terminals/index.js';

/**
 * Exited terminals are kept (with their scrollback, for views still showing them) up to
 * `keepExited`, the oldest exit forgotten first; a terminal's exit, which each step of a big
 * workflow makes, does not walk every terminal kept to find the ones to forget.
 */
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
let manager: TerminalManager;
const running: TerminalHandle[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(running.splice(0).map((terminal) => terminal.kill(100)));
});

async function runToExit(title: string): Promise<string> {
  const terminal = manager.create({ title, command: 'true', file: '/bin/sh', args: ['-c', 'true'], cwd: '/tmp', env });
  await new Promise<void>((resolve) => terminal.onExit(() => resolve()));
  return terminal.info.id;
}

describe('exited terminals', () => {
  it('keeps the last ones to exit, and finds the ones to forget without walking every terminal', async () => {
    manager = new TerminalManager({ data: () => {}, updated: () => {} }, { keepExited: 3 });
    const live = manager.create({ title: 'live', command: 'sleep', file: '/bin/sh', args: ['-c', 'sleep 30'], cwd: '/tmp', env });
    running.push(live);
    const sessions = (manager as unknown as { sessions: Map<string, unknown> }).sessions;
    const walks = vi.spyOn(sessions, 'values');
    const ids: string[] = [];
    for (let i = 1; i <= 6; i++) ids.push(await runToExit(`step ${i}`));
    expect(walks).not.toHaveBeenCalled();
    expect(manager.list().map((info) => info.title)).toEqual(['live', 'step 4', 'step 5', 'step 6']);

    // One closed by the user leaves room: nothing else is forgotten for it.
    await manager.close(ids[4]!);
    ids.push(await runToExit('step 7'));
    expect(manager.list().map((info) => info.title)).toEqual(['live', 'step 4', 'step 6', 'step 7']);
  });
});
