/**
 * An attempt placed on a remote host: a shell step's command, or an AI tool found on that host
 * and invoked there as it would be here (headless: its structured output streams back through the
 * host's terminal and its adapter reads it as for a local step).
 */
import type { Agent } from '../../../shared/agents.js';
import type { WorkflowStep } from '../../../shared/workflow.js';
import type { OutputFilter } from '../terminals/index.js';
import type { AiToolAdapter } from '../tools/index.js';
import type { PreparedWorkspace } from '../workspaces/index.js';
import { attemptMarks } from './attempt-marks.js';
import type { PreparedAttempt } from './attempt-preparation.js';
import type { ExecutorContext } from './executor-context.js';

export interface RemotePlacement {
  host: string;
  runId: string;
  workflowName: string;
  step: WorkflowStep;
  attempt: number;
  platform: string;
  /** The AI tool's adapter; none for a shell step. */
  ai: AiToolAdapter | undefined;
  agent: Agent | null | undefined;
  inputs: Record<string, unknown>;
  agentEnv: Record<string, string>;
  outputFilter: OutputFilter | undefined;
  workspace: PreparedWorkspace | null;
  /** The step's folder in its worktree on the host, with a workspace. */
  cwd: string;
}

export async function placeOnHost(ctx: ExecutorContext, placement: RemotePlacement): Promise<PreparedAttempt> {
  const { host, runId, step, attempt, ai, agent, inputs, workspace } = placement;
  let command: { argv: string[]; display: string; unset: string[] } | undefined;
  let env: Record<string, string> = placement.agentEnv;
  let notice: string | undefined;
  if (ai) {
    const tool = await ctx.hosts.tool(host, placement.platform);
    // The variables the tool reads are mapped from the agent's as here; what the host's own
    // environment holds is the host's (the local one is not the remote process's to inherit).
    const invocation = ai.invocation(step, inputs, { binaryPath: tool.path, model: agent?.model ?? undefined, autonomy: agent?.autonomy, env: placement.agentEnv });
    command = { argv: [invocation.file, ...invocation.args], display: invocation.display, unset: invocation.unsetEnv ?? [] };
    env = invocation.env;
    if ((step.mode ?? agent?.mode) === 'session') notice = `runs headless on host "${host}": ACP sessions run on this machine only`;
  }
  const title = `${placement.workflowName} · step ${step.step} · attempt ${attempt} · ${host}`;
  const placed = await ctx.hosts.prepareAttempt({
    host,
    runId,
    step,
    attempt,
    title,
    inputs,
    command,
    agentCwd: agent?.cwd ?? null,
    worktreeCwd: workspace ? placement.cwd : undefined,
    env: { ...env, ...workspace?.env },
    outputFilter: placement.outputFilter,
    marks: attemptMarks(runId, step.step, attempt),
    localCwd: ctx.dataDir,
    localEnv: ctx.baseEnv,
  });
  return { adapter: ai, platform: placement.platform, notice, ...placed };
}
