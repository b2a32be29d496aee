import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, repoRoot } from '../../engine/helpers.js';

/**
 * A temporary home whose PATH holds the Claude Code stand-in (test/fixtures/tools/claude) as the
 * only AI tool, beside node, for `photon serve` in UI tests of AI steps. `delayMs` paces the
 * stand-in's stream (PHOTON_STANDIN_DELAY_MS): slower where a test must see a step mid-run.
 */
export function standInClaudeHome(name: string, delayMs: number): { work: string; env: NodeJS.ProcessEnv } {
  const root = makeTempDir(name);
  const bin = join(root, 'bin');
  const work = join(root, 'work');
  mkdirSync(bin);
  mkdirSync(work);
  symlinkSync(process.execPath, join(bin, 'node'));
  symlinkSync(join(repoRoot, 'test', 'fixtures', 'tools', 'claude'), join(bin, 'claude'));
  return { work, env: { PATH: `${bin}:/usr/bin:/bin`, HOME: root, ANTHROPIC_API_KEY: 'sk-ant-e2e', PHOTON_STANDIN_DELAY_MS: String(delayMs) } };
}

/** A Claude Code step whose prompt is its label. */
export function promptStep(step: number, label: string, dependencies: number[] = []) {
  return { step, label, platform: 'claude-code', inputs: { prompt: label }, dependencies };
}
