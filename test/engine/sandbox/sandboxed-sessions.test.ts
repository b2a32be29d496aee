/**
 * An AI step run as an ACP session inside the sandbox, through the real engine and real
 * bubblewrap: the agent process (the stand-in claude-agent-acp, test/fixtures/acp-agent.mjs) and
 * what it does are fenced in as a terminal step is. Allowed in the inbox, its edit in the step's
 * folder is made; its edit outside is refused by the file system, whatever the inbox said.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import type { RunDetail } from '../../../shared/runs.js';
import { makeTempDir, removeDir, repoRoot, startEngine, stepOf } from '../helpers.js';
import { standInAgent } from '../sessions/stand-in.js';
import { bwrapAvailable } from './sandbox-setup.js';

const fenced = { sandbox: { network: false, write: ['worktree'] }, mode: 'session' };

describe.skipIf(!bwrapAvailable)('a sandboxed session step (bubblewrap)', () => {
  let root: string;
  let work: string;
  let engine: Engine;

  beforeEach(async () => {
    root = makeTempDir('sandboxed-sessions');
    work = join(root, 'work');
    const bin = join(root, 'bin');
    mkdirSync(work);
    mkdirSync(bin);
    // Installed as a real adapter is, beside its packages under a PATH folder: the sandbox shows
    // the PATH and hides the rest of /tmp, /home and /root, where this checkout may live.
    const install = join(bin, 'acp-stand-in');
    mkdirSync(join(install, 'node_modules', '@agentclientprotocol'), { recursive: true });
    cpSync(standInAgent, join(install, 'acp-agent.mjs'));
    for (const pkg of ['@agentclientprotocol/sdk', 'zod']) cpSync(join(repoRoot, 'node_modules', pkg), join(install, 'node_modules', pkg), { recursive: true, dereference: true });
    const adapter = join(bin, 'claude-agent-acp');
    writeFileSync(adapter, `#!/bin/sh\nexec "${process.execPath}" "${join(install, 'acp-agent.mjs')}" "$@"\n`);
    chmodSync(adapter, 0o755);
    engine = await startEngine(join(root, 'data'), { env: { ...process.env, PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin` }, loginShell: false });
    // Every request the agent makes is allowed: what stops a write is the sandbox alone.
    engine.on('approval.updated', (item) => {
      if (item.status === 'waiting') void engine.call('approvals.answer', { ids: [item.id], answer: 'once' });
    });
  });
  afterEach(async () => {
    await engine.close();
    removeDir(root);
  });

  async function runToEnd(steps: Record<string, unknown>[]): Promise<RunDetail> {
    const { runId } = await engine.call('runs.start', { workflow: { name: 'fenced sessions', workflow: steps }, baseDir: work });
    await engine.waitForRun(runId);
    return engine.call('runs.get', { runId });
  }

  it('makes the allowed edit in its folder, and cannot write outside it though the inbox allowed it', async () => {
    const inside = join(work, 'inside.txt');
    // The folder holding the step's folder: shown read-only in the sandbox.
    const outside = join(root, 'outside.txt');
    const unfenced = join(root, 'unfenced.txt');
    const detail = await runToEnd([
      { step: 1, platform: 'claude-code', inputs: { prompt: `edit ${inside} made inside` }, dependencies: [], ...fenced },
      { step: 2, platform: 'claude-code', inputs: { prompt: `edit ${outside} made outside` }, dependencies: [1], ...fenced, continueOnFailure: true },
      // The same edit without the sandbox is made: what refused step 2's was the sandbox.
      { step: 3, platform: 'claude-code', inputs: { prompt: `edit ${unfenced} made outside` }, dependencies: [2], mode: 'session' },
    ]);
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', output: `Edited ${inside}.` });
    expect(readFileSync(inside, 'utf8')).toBe('made inside\n');
    // The stand-in's write throws (EROFS), which the ACP SDK answers as an internal error.
    expect(stepOf(detail, 2)).toMatchObject({ status: 'failed', error: 'the agent answered the prompt with an error: Internal error' });
    expect(existsSync(outside)).toBe(false);
    expect(stepOf(detail, 3)).toMatchObject({ status: 'succeeded', output: `Edited ${unfenced}.` });
    expect(readFileSync(unfenced, 'utf8')).toBe('made outside\n');
  });
});
