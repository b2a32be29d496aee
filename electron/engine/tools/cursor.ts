/**
 * Cursor's agent (`cursor-agent`, also installed as `agent`): `-p PROMPT --output-format stream-json`,
 * Claude Code's event vocabulary plus `tool_call` events, no token usage and no cost.
 */
import type { WorkflowStep } from '../../../shared/workflow.js';
import { autonomyOf, baseToolEnv, displayCommand, promptArg, promptFor, requireContext } from './prompt.js';
import { parseClaudeStream } from './stream-json.js';
import type { AiToolAdapter, AutonomyMode, Invocation, InvocationContext, ToolExit, ToolResult } from './tool-adapter.js';

const autonomy: AutonomyMode[] = ['default', 'full'];

export const cursorAdapter: AiToolAdapter = {
  platform: 'cursor',
  label: 'Cursor agent',
  binaries: ['cursor-agent', 'agent'],
  minimumVersion: '2025.8.0',
  install: 'curl https://cursor.com/install -fsS | bash (update with `cursor-agent update`)',
  versionArgs: ['--version'],
  helpArgs: ['--help'],
  supports: { json: true, resume: true, cost: false, tokens: false, autonomyModes: autonomy },
  invocation(step: WorkflowStep, inputs: Record<string, unknown>, context?: InvocationContext): Invocation {
    const ctx = requireContext('cursor', context);
    const prompt = promptFor(step, inputs);
    const args = ['-p', promptArg(prompt), '--output-format', 'stream-json'];
    if (ctx.model?.trim()) args.push('--model', ctx.model.trim());
    // Headless, the agent will not start in an untrusted folder unless told to trust it; --force
    // (run everything without asking) implies that trust.
    args.push(autonomyOf('cursor', ctx, autonomy) === 'full' ? '--force' : '--trust');
    return { file: ctx.binaryPath, args, env: baseToolEnv(ctx), display: displayCommand(ctx.binaryPath, args, prompt) };
  },
  parseOutput(terminalText: string, exit: ToolExit): ToolResult {
    const result = parseClaudeStream(terminalText, exit, { tool: 'Cursor agent', reportsCost: false });
    if (result.error && cursorAuthMessages.test(result.error)) result.authFailure = true;
    return result;
  },
};

/**
 * How cursor-agent says its credentials were refused, before any event (it checks the key when it
 * starts): an invalid key ("The provided API key is invalid.", 2026.05), or none and no login.
 */
const cursorAuthMessages = /The provided API key is invalid|Authentication required\. Please run 'cursor-agent login'/;
