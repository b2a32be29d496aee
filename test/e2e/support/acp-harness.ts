// The UI harness for tests of ACP sessions: `photon serve` with the stand-in ACP agent installed as
// Claude Code's ACP adapter (claude-agent-acp) on its PATH, since the real adapter needs its
// vendor's network, and a project folder for the agents to work in.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { repoRoot } from './photon-server.js';
import { callServer } from './rpc.js';
import { useUiHarness, type UiHarness } from './ui-harness.js';

export interface AcpHarness {
  harness: UiHarness;
  /** The project folder, holding notes.txt ("first draft"). */
  work: string;
}

/** Registers the server, the browser and the sandbox (removed after the file's tests) for the calling test file. */
export function useAcpHarness(label: string): AcpHarness {
  const sandbox = mkdtempSync(join(tmpdir(), `photon-${label}-e2e-`));
  const bin = join(sandbox, 'bin');
  const work = join(sandbox, 'project');
  for (const dir of [bin, work]) mkdirSync(dir);
  const adapter = join(bin, 'claude-agent-acp');
  writeFileSync(adapter, `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'test', 'fixtures', 'acp-agent.mjs')}" "$@"\n`);
  chmodSync(adapter, 0o755);
  writeFileSync(join(work, 'notes.txt'), 'first draft\n');

  const harness = useUiHarness({ env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: sandbox } });

  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));
  return { harness, work };
}

/** Saves the two Claude Code agents the approval tests answer: Reviewer and Builder. */
export async function saveReviewerAndBuilder(harness: UiHarness): Promise<void> {
  for (const [id, name] of [
    ['reviewer', 'Reviewer'],
    ['builder', 'Builder'],
  ]) {
    await callServer(harness.server, 'agents.save', { agent: { id, name, tool: 'claude-code' } });
  }
}
