/**
 * `photon approvals`, `photon approve` and `photon deny` from a second terminal, answering a session
 * that another Photon process holds (test/fixtures/approval-holder.ts, the stand-in ACP agent
 * asking to edit a file), through the real CLI and a real SQLite file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalItem } from '../../../shared/approvals.js';
import { bundled } from '../../fixtures/bundled.js';
import { photon, repoRoot, tempFolder, waitUntil } from './helpers.js';

let temp: ReturnType<typeof tempFolder>;
let holder: ChildProcess | undefined;
let holderOut = '';

beforeEach(() => {
  temp = tempFolder();
  holderOut = '';
});
afterEach(() => {
  holder?.kill('SIGKILL');
  holder = undefined;
  temp.cleanup();
});

/** Starts the other Photon and resolves with the id of its waiting request. */
async function holdRequest(file: string): Promise<string> {
  // Run by node itself, not a launcher's child, which a SIGKILL would miss.
  holder = spawn(process.execPath, [await bundled('test/fixtures/approval-holder.ts'), temp.dataDir, temp.dir, file], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  holder.stdout!.setEncoding('utf8').on('data', (chunk: string) => (holderOut += chunk));
  holder.stderr!.setEncoding('utf8').on('data', (chunk: string) => (holderOut += chunk));
  await waitUntil(() => /waiting (\S+)/.test(holderOut), 30_000, `the request to wait (holder said: ${holderOut})`);
  return /waiting (\S+)/.exec(holderOut)![1]!;
}

const data = () => ['--data-dir', temp.dataDir];

describe('photon approvals / approve / deny', () => {
  it('lists the waiting request and approves it: the other Photon applies it and the edit lands', async () => {
    const file = join(temp.dir, 'approved.txt');
    const id = await holdRequest(file);

    const listed = await photon(['approvals', ...data()]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain(`Edit ${file}`);
    const json = JSON.parse((await photon(['approvals', '--json', ...data()])).stdout) as ApprovalItem[];
    expect(json).toMatchObject([{ id, status: 'waiting', kind: 'permission', agentName: 'builder', diffs: [{ path: file, newText: 'approved from elsewhere\n' }] }]);

    const approved = await photon(['approve', id, ...data()]);
    expect(approved.stderr).toBe('');
    expect(approved.stdout).toContain(`${id}: allowed (Edit ${file})`);
    expect(approved.code).toBe(0);
    await waitUntil(() => holderOut.includes('done:'), 20_000, 'the turn to end');
    expect(holderOut).toContain(`done: Edited ${file}.`);
    expect(readFileSync(file, 'utf8')).toBe('approved from elsewhere\n');

    // Answered: a second answer is refused naming who gave the first.
    const again = await photon(['deny', id, ...data()]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`${id}: approval ${id} cannot be answered: it was already allowed by a person at`));
    expect((await photon(['approvals', ...data()])).stdout).toContain('Nothing is waiting for an answer.');
  });

  it('deny with a message leaves the file alone; the agent is told', async () => {
    const file = join(temp.dir, 'denied.txt');
    const id = await holdRequest(file);
    const denied = await photon(['deny', id, '--message', 'echo not that file', ...data()]);
    expect(denied.stdout).toContain(`${id}: denied`);
    await waitUntil(() => holderOut.includes('done:'), 20_000, 'the turn to end');
    expect(existsSync(file)).toBe(false);
    const [item] = JSON.parse((await photon(['approvals', '--all', '--json', ...data()])).stdout) as ApprovalItem[];
    expect(item).toMatchObject({ id, status: 'denied', answeredBy: 'person', message: 'echo not that file' });
  });

  it('a request whose Photon was killed is refused with the reason, and is closed in the inbox', async () => {
    const id = await holdRequest(join(temp.dir, 'never.txt'));
    holder!.kill('SIGKILL');
    await new Promise((resolve) => holder!.once('close', resolve));
    const answered = await photon(['approve', id, '--always', ...data()]);
    expect(answered.code).toBe(1);
    expect(answered.stderr).toContain(`${id}: approval ${id} cannot be answered: it was closed: the Photon that held it stopped before it was answered`);
    const [item] = JSON.parse((await photon(['approvals', '--all', '--json', ...data()])).stdout) as ApprovalItem[];
    expect(item).toMatchObject({ id, status: 'cancelled', answeredBy: 'ended' });
  });

  it('refuses --for-run with --always, and an unknown id names the command that lists them', async () => {
    const both = await photon(['approve', 'x', '--for-run', '--always', ...data()]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --for-run or --always, not both');
    const unknown = await photon(['approve', 'nope', 'other', ...data()]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('nope: no approval request nope: list them with photon approvals');
    expect(unknown.stderr).toContain('other: no approval request other: list them with photon approvals');
  });
});
