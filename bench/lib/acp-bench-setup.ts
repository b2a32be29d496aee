/**
 * What both approvals benches start from: their --sessions and --requests, and a temporary folder
 * whose bin/ holds `claude-agent-acp` as the stand-in ACP agent (test/fixtures/acp-agent.mjs), so
 * the engine's tool registry starts it as it would the real adapter.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export interface AcpBenchSetup {
  sessionCount: number;
  perSession: number;
  root: string;
  bin: string;
  work: string;
}

export function acpBenchSetup(prefix: string): AcpBenchSetup {
  const { values } = parseArgs({ options: { sessions: { type: 'string', default: '10' }, requests: { type: 'string', default: '20' } } });
  const root = mkdtempSync(join(tmpdir(), prefix));
  const bin = join(root, 'bin');
  const work = join(root, 'work');
  mkdirSync(bin);
  mkdirSync(work);
  const agent = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'acp-agent.mjs');
  writeFileSync(join(bin, 'claude-agent-acp'), `#!/bin/sh\nexec "${process.execPath}" "${agent}" "$@"\n`);
  chmodSync(join(bin, 'claude-agent-acp'), 0o755);
  return { sessionCount: Number(values.sessions), perSession: Number(values.requests), root, bin, work };
}
