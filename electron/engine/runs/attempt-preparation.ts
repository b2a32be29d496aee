import type { WorkflowStep } from '../../../shared/workflow.js';
import { PhotonError } from '../../../shared/errors.js';
import { sandboxOf } from '../../../shared/sandbox.js';
import { agentEnvironment, type AgentChoice } from '../agents/index.js';
import type { RemoteAttempt } from '../hosts/index.js';
import { existingFolder } from '../paths/index.js';
import { fenceAttempt, fenceSession, refuseRemoteSandbox } from '../sandbox/index.js';
import type { RunRow } from '../storage/index.js';
import type { CreateTerminalOptions, TerminalHandle } from '../terminals/index.js';
import { isAiToolAdapter, mergeEnv, type AiToolAdapter, type Invocation } from '../tools/index.js';
import type { PreparedWorkspace } from '../workspaces/index.js';
import { attemptFolder, madeAhead, madeByTerminal, madeFromSpare, prepareAttemptFolderOffThread, startAttemptFolder } from './attempt-folder.js';
import type { KillReason } from './attempt-ending.js';
import { attemptMarks } from './attempt-marks.js';
import type { ExecutorContext } from './executor-context.js';
import { GateAttempt, gateOptions, gatePlatform, type GateAttemptOptions } from './gate-step.js';
import { placeOnHost } from './remote-placement.js';
import { prepareSessionAttempt, SessionAttempt, type SessionAttemptOptions } from './session-attempt.js';
import { passedInputs } from './sub-workflow-plan.js';
import { SubWorkflowAttempt, subWorkflowPlatform, type SubWorkflowAttemptOptions } from './sub-workflow-step.js';

/** A step's process, ready to start, and the adapter that reads its output back. */
export interface PreparedAttempt {
  /** Its terminal, or for an ACP session step its session. */
  terminal?: CreateTerminalOptions;
  session?: SessionAttemptOptions;
  /** An approval gate: a question in the inbox, no process. */
  gate?: GateAttemptOptions;
  /** A sub-workflow: a child run, no process. */
  subWorkflow?: SubWorkflowAttemptOptions;
  /** A step on a remote host: started through its host's shared connection. */
  remote?: RemoteAttempt;
  /** Said in the attempt's log before it starts: why it does not run as the step asked. */
  notice?: string;
  adapter: AiToolAdapter | undefined;
  /** The tool that runs it, for its commit's message. */
  platform: string;
}

export interface PreparationRequest {
  run: RunRow;
  step: WorkflowStep;
  /** The step's place in the workflow, for messages naming it. */
  index: number;
  attempt: number;
  choice: AgentChoice;
  /** The step's inputs with their templates rendered. */
  inputs: Record<string, unknown>;
  /** The step's worktree was made: its state (shown with the step) changed. */
  workspaceReady: () => void;
  /** The run is ending or this attempt was stopped while it was being prepared. */
  stopped: () => boolean;
}

/**
 * Everything an attempt needs, found before it starts, for each kind of step: a gate's question, a
 * remote host's placement, an ACP session, or a terminal (the tool, the folder, the environment,
 * secrets last, fenced by the sandbox when asked).
 */
export async function prepareAttempt(ctx: ExecutorContext, request: PreparationRequest): Promise<PreparedAttempt> {
  const { run, step, index, attempt, choice, inputs } = request;
  if (step.platform === gatePlatform) {
    // With isolation a gate has its worktree as any step does: unchanged, it passes its dependencies' result on.
    const workspace = await ctx.workspaces.prepare(step, attempt);
    if (workspace) request.workspaceReady();
    return { gate: gateOptions(ctx.gates, ctx.repo, run.id, step.step, attempt, inputs), adapter: undefined, platform: gatePlatform };
  }
  if (step.platform === subWorkflowPlatform) {
    // As a gate's: with isolation its worktree passes its dependencies' result on (the child's code stays in the child's own run).
    const workspace = await ctx.workspaces.prepare(step, attempt);
    if (workspace) request.workspaceReady();
    const childRequest = { parent: { runId: run.id, step: step.step, attempt }, baseDir: run.baseDir, ref: String(inputs.workflow), inputs: passedInputs(inputs) };
    // The step shows its child as soon as the child exists.
    return { subWorkflow: { children: ctx.children, request: childRequest, attached: () => request.workspaceReady() }, adapter: undefined, platform: subWorkflowPlatform };
  }
  const adapter = ctx.tools.adapterFor(choice.platform);
  const agent = choice.agent;
  const host = ctx.hosts.hostFor(step, agent, ctx.workspaces.isolated);
  refuseRemoteSandbox(step, index, agent, host);
  // Without a worktree the folder is checked first: a wrong one fails before the tool is looked up (a remote step's is on its host).
  let cwd = ctx.workspaces.isolated || host ? '' : workingFolder(step, index, run.baseDir, agent?.cwd ?? null, agent?.id, null);
  const ai = isAiToolAdapter(adapter) ? adapter : undefined;
  const folder = attemptFolder(ctx.dataDir, run.id, step.step, attempt);
  // Made here when something goes into it before the process starts (the tool's files, the
  // sandbox's private home), started now so it is made while the rest is prepared; otherwise the
  // terminal host makes it as it starts the process.
  const folderFirst = !host && (ai?.prepareFolder !== undefined || sandboxOf(step, agent) !== undefined);
  if (folderFirst) startAttemptFolder(folder);
  // On a host the tool is found there (remote-placement.ts).
  const mode = ai && !host ? await ctx.sessions.choose(step, agent, choice.platform, () => ctx.tools.requireRunnable(ai)) : undefined;
  const detection = mode?.mode === 'headless' ? mode.detection : undefined;
  if (request.stopped()) throw new PhotonError('conflict', 'stopped before it started');
  // The step's own worktree (with isolation): made from its dependencies' results, holding its
  // folder; for a step on a host, in that host's clone of the repository.
  const workspace = await ctx.workspaces.prepare(step, attempt, host && ctx.workspaces.isolated ? ctx.hosts.clone(host) : undefined);
  if (workspace) {
    request.workspaceReady();
    cwd = workingFolder(step, index, run.baseDir, agent?.cwd ?? null, agent?.id, workspace);
  }
  const stepInputs = workspace?.promptNote && typeof inputs.prompt === 'string' ? { ...inputs, prompt: `${workspace.promptNote}\n\n${inputs.prompt}` } : inputs;

  const { env: agentEnv, outputFilter, redactor } = await agentEnvironment(ctx.secrets, agent);
  if (host) {
    const placement = { host, runId: run.id, workflowName: run.workflowName, step, attempt, platform: choice.platform, ai, agent, inputs: stepInputs, agentEnv, outputFilter, workspace, cwd };
    return placeOnHost(ctx, placement);
  }
  if (mode?.mode === 'session') {
    const where = { dataDir: ctx.dataDir, runId: run.id, workflowId: run.workflowId, step, attempt, cwd, platform: choice.platform };
    const session = prepareSessionAttempt(where, mode.acp, ai!, agent, stepInputs, { env: agentEnv, outputFilter, redactor }, workspace?.env, ctx.baseEnv);
    // Fenced in by the OS sandbox as a terminal step is: the agent and every tool it starts.
    const fence = { step, index, agent, platform: choice.platform, aiTool: true, worktree: workspace?.root ?? null, attemptFolder: attemptFolder(ctx.dataDir, run.id, step.step, attempt), dataDir: ctx.dataDir, toolPath: mode.acp.binaryPath, engineEnv: ctx.baseEnv };
    const fenced = await fenceSession({ ...session.launch, cwd: session.cwd, env: session.env as Record<string, string> }, fence);
    return { adapter: undefined, platform: choice.platform, notice: fenced.notice, session: { ...session, launch: { ...session.launch, command: fenced.command, args: fenced.args } } };
  }
  let invocation: Invocation;
  if (ai && detection) {
    invocation = ai.invocation(step, stepInputs, {
      binaryPath: detection.path,
      searchPath: detection.searchPath,
      model: agent?.model ?? undefined,
      autonomy: agent?.autonomy,
      env: agentEnv,
      inherited: ctx.baseEnv,
    });
  } else {
    const plain = adapter.invocation(step, stepInputs);
    invocation = { ...plain, env: { ...agentEnv, ...plain.env } };
  }
  const env = { ...mergeEnv(ctx.baseEnv, invocation), ...workspace?.env, ...attemptMarks(run.id, step.step, attempt) };
  Object.assign(env, folderFirst ? await prepareAttemptFolderOffThread(folder, env, ai) : madeByTerminal(folder));
  return {
    adapter: ai,
    platform: choice.platform,
    notice: mode?.mode === 'headless' ? mode.notice : undefined,
    terminal: await fenceAttempt(
      {
        title: `${run.workflowName} · step ${step.step} · attempt ${attempt}`,
        command: invocation.display,
        owner: { runId: run.id, step: step.step, attempt },
        file: invocation.file,
        args: invocation.args,
        cwd,
        env,
        // Whatever the attempt starts is found by these when it ends, even outside its process group.
        marks: attemptMarks(run.id, step.step, attempt),
        // Made by the terminal host as it starts the process, unless it was made ahead (folders-ahead.ts)
        // or is made now from an ended attempt's empty folder (spare-folders.ts).
        folders: folderFirst || madeAhead(folder) || madeFromSpare(folder) ? undefined : [folder],
        // Whatever the process prints is redacted before the log, the views and the step's output see it.
        outputFilter,
      },
      // Fenced in by the OS sandbox when the step or its agent asks; refused where none can run.
      { step, index, agent, platform: choice.platform, aiTool: ai !== undefined, worktree: workspace?.root ?? null, attemptFolder: folder, dataDir: ctx.dataDir, toolPath: detection?.path, engineEnv: ctx.baseEnv },
    ),
  };
}

/**
 * Starts what was prepared: a gate's wait, a session, a remote host's process or a local terminal.
 * Throws when it cannot start. `stopNote` is why a stop happened when it was not the run's cancel
 * (a race lost): a gate and a sub-workflow pass it on to their question and child run.
 */
export function startPrepared(
  ctx: ExecutorContext,
  prepared: PreparedAttempt,
  killReason: () => KillReason | undefined,
  stopNote: () => string | undefined = () => undefined,
): TerminalHandle | SessionAttempt | GateAttempt | SubWorkflowAttempt {
  // Its attempt's row (written running) is committed first: after a crash, recovery finds and
  // stops the process by it. The turn's announcements wait until after this start.
  ctx.repo.commit();
  if (prepared.gate) return new GateAttempt(prepared.gate, killReason, stopNote);
  if (prepared.subWorkflow) return new SubWorkflowAttempt(prepared.subWorkflow, killReason, stopNote);
  if (prepared.session) return new SessionAttempt(prepared.session, ctx.sessions, ctx.events, killReason);
  return prepared.remote?.start(ctx.terminals) ?? ctx.terminals.create(prepared.terminal!);
}

/** The step's folder: its own `cwd`, else its agent's, else the run's; inside its worktree when it has one. */
function workingFolder(step: WorkflowStep, index: number, baseDir: string, agentCwd: string | null, agentId: string | undefined, workspace: PreparedWorkspace | null): string {
  const stepCwd = step.cwd;
  const fromStep = stepCwd !== undefined && stepCwd !== '';
  const cwd = fromStep ? stepCwd : agentCwd;
  const place = fromStep ? `workflow[${index}].cwd` : `agent "${agentId}" cwd`;
  if (workspace) return workspace.folder(cwd === '' ? null : cwd, baseDir, place);
  if (cwd === null || cwd === '') return baseDir;
  return existingFolder(cwd, baseDir, place);
}
