/**
 * `photon run` with an AI step that runs as an ACP session (the stand-in ACP agent installed as
 * claude-agent-acp on the PATH): when the step waits for a permission, the run says which step,
 * what it asks and how to answer; answered with `photon approve` from a second terminal, the run
 * goes on and ends.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { standInAgent } from '../../engine/sessions/stand-in.js';
import { photon, startPhoton, tempFolder, waitUntil } from './helpers.js';

let temp: ReturnType<typeof tempFolder>;
let env: NodeJS.ProcessEnv;
let running: ReturnType<typeof startPhoton> | undefined;

beforeEach(() => {
  temp = tempFolder();
  const bin = join(temp.dir, 'bin');
  mkdirSync(bin);
  const adapter = join(bin, 'claude-agent-acp');
  writeFileSync(adapter, `#!/bin/sh\nexec "${process.execPath}" "${standInAgent}" "$@"\n`);
  chmodSync(adapter, 0o755);
  // The adapter on this PATH only; no login shell (an empty SHELL), so this machine's own tools do not count.
  env = { PATH: `${bin}:/usr/bin:/bin`, SHELL: '' };
});
afterEach(async () => {
  // A failed test must not leave its run waiting for an answer: Photon cancels it and stops its agents.
  if (running && running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill('SIGTERM');
    await running.done;
  }
  running = undefined;
  temp.cleanup();
});

function sessionWorkflow(steps: { label: string; prompt: string }[]): string {
  const file = join(temp.dir, 'session.json');
  const workflow = { name: 'session run', workflow: steps.map(({ label, prompt }, i) => ({ step: i + 1, label, platform: 'claude-code', inputs: { prompt }, dependencies: [] })) };
  writeFileSync(file, JSON.stringify(workflow));
  return file;
}

describe('photon run with a session step', () => {
  it('says when a step waits for an approval and how to answer; answered from another terminal, the run goes on', { timeout: 120_000 }, async () => {
    const approvedFile = join(temp.dir, 'approved.txt');
    const deniedFile = join(temp.dir, 'denied.txt');
    const file = sessionWorkflow([
      { label: 'Write the notes', prompt: `edit ${approvedFile} from the cli` },
      { label: 'Write the other notes', prompt: `edit ${deniedFile} never` },
    ]);
    const data = ['--data-dir', temp.dataDir];
    const run = startPhoton(['run', file, ...data], { env });
    running = run;
    const asks = /  Step (\d) \(([^)]+)\) asks: (.*)\. Answer from any terminal: photon approve (\S+) --data-dir (\S+) {2}or {2}photon deny (\S+) --data-dir (\S+)$/gm;
    await waitUntil(() => [...run.stdout().matchAll(asks)].length === 2, 60_000, 'both steps to ask').catch((error: unknown) => {
      throw new Error(`${String(error)}; photon run said: ${run.stdout()}${run.stderr()}`);
    });
    const lines = [...run.stdout().matchAll(asks)].sort((a, b) => a[1]!.localeCompare(b[1]!));
    expect(lines.map((m) => [m[1], m[2], m[3]])).toEqual([
      ['1', 'Write the notes', `Edit ${approvedFile}`],
      ['2', 'Write the other notes', `Edit ${deniedFile}`],
    ]);
    for (const m of lines) {
      expect(m[4]).toBe(m[6]);
      expect([m[5], m[7]]).toEqual([temp.dataDir, temp.dataDir]);
    }
    const [first, second] = [lines[0]![4]!, lines[1]![4]!];

    expect((await photon(['approve', first, ...data], { env })).code).toBe(0);
    expect((await photon(['deny', second, '--message', 'not that file', ...data], { env })).code).toBe(0);
    const done = await run.done;
    expect(done.stdout).toContain('Step 1 (Write the notes): "Edit ' + approvedFile + '" allowed by you');
    expect(done.stdout).toContain('Step 2 (Write the other notes): "Edit ' + deniedFile + '" denied by you: not that file');
    expect(done.code).toBe(0);
    expect(readFileSync(approvedFile, 'utf8')).toBe('from the cli\n');
    expect(existsSync(deniedFile)).toBe(false);
  });
});
