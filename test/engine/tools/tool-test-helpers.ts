/**
 * Shared pieces of the tool tests: fixture files, how a pty hands text back (CRLF, colour codes,
 * stderr interleaved), steps and invocation contexts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InvocationContext } from '../../../electron/engine/tools/index.js';
import type { WorkflowStep } from '../../../shared/workflow.js';

export const fixturesDir = join(import.meta.dirname, '..', '..', 'fixtures', 'tools');
export const standInsDir = fixturesDir;

export function fixture(path: string): string {
  return readFileSync(join(fixturesDir, 'output', path), 'utf8');
}

/** The text as a pty delivers it: CRLF line ends, stderr lines coloured, a spinner overwritten by `\r`. */
export function asPty(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.startsWith('{') || line === '' ? line : `\x1b[33m${line}\x1b[39m`))
    .join('\r\n')
    .replace(/^/, '\x1b[?25l⠋ Thinking...\r\x1b[2K');
}

export function step(inputs: Record<string, unknown>, extra: Partial<WorkflowStep> = {}): WorkflowStep {
  return { step: 1, platform: 'claude-code', inputs, dependencies: [], continueOnFailure: false, ...extra } as WorkflowStep;
}

export function context(extra: Partial<InvocationContext> = {}): InvocationContext {
  return { binaryPath: '/opt/tools/bin/tool', env: {}, ...extra };
}
