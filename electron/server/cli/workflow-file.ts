import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { decodeText } from '../../../shared/json-text.js';
import { formatIssue, type ValidationIssue } from '../../../shared/validate-workflow.js';
import type { Workflow } from '../../../shared/workflow.js';
import { UsageError } from './usage-error.js';

export type WorkflowFile =
  | { ok: true; path: string; folder: string; workflow: Workflow }
  | { ok: false; path: string; issues: ValidationIssue[] };

/** Reads and validates a workflow file without opening any storage, so nothing is written for a bad file. */
export async function loadWorkflowFile(file: string): Promise<WorkflowFile> {
  const path = resolve(file);
  let text: string;
  try {
    // As editors save it: UTF-8 with or without a byte order mark, or UTF-16 with one.
    text = decodeText(readFileSync(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : String(error);
    throw new UsageError(`cannot read workflow file "${file}": ${reason}`);
  }
  // Loaded here, not at the top: `photon --help` and every command that reads no workflow start without the engine.
  const { validateWorkflowText } = await import('../../engine/index.js');
  const result = validateWorkflowText(text);
  return result.ok ? { ok: true, path, folder: dirname(path), workflow: result.workflow } : { ok: false, path, issues: result.issues };
}

/** Every issue on its own line as `place: message`, after one line naming the file. */
export function printIssues(file: string, issues: readonly ValidationIssue[]): void {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  process.stderr.write(`photon: ${file} is not a valid workflow (${count}; nothing was run):\n`);
  for (const issue of issues) process.stderr.write(`${formatIssue(issue)}\n`);
}
