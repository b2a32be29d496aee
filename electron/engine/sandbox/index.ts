/**
 * Sandbox: fences a step's process in with the OS's own sandbox, bubblewrap on Linux and
 * sandbox-exec on macOS, run as the user's programs. The run executor hands it the terminal (or an ACP session's agent) it is
 * about to start; it answers the same terminal wrapped in the sandbox, with an output filter that
 * says what the sandbox refused. Where no sandbox can run, the step is refused with the reason and
 * the fix, unless the user started Photon with PHOTON_ALLOW_UNSANDBOXED=1.
 */
import { PhotonError } from '../../../shared/errors.js';
import type { Agent } from '../../../shared/agents.js';
import { sandboxOf } from '../../../shared/sandbox.js';
import type { WorkflowStep } from '../../../shared/workflow.js';
import type { CreateTerminalOptions } from '../terminals/index.js';
import { sandboxAvailability } from './availability.js';
import { bwrapArgs } from './bwrap.js';
import { explainingFilter } from './explain.js';
import { fencePlan, preparePrivateHome } from './plan.js';
import { seatbeltArgs } from './seatbelt.js';

export { sandboxAvailability, type Availability } from './availability.js';
export { fencePlan, type FencePlan, type FenceInput } from './plan.js';
export { bwrapArgs } from './bwrap.js';
export { seatbeltProfile } from './seatbelt.js';
export { sandboxExplanations } from './explain.js';

export interface AttemptFence {
  step: WorkflowStep;
  /** The step's place in the workflow file, for messages. */
  index: number;
  agent: Agent | null;
  platform: string;
  aiTool: boolean;
  /** The step's worktree, or null (its working folder is then its own). */
  worktree: string | null;
  /** The attempt's private temp folder. */
  attemptFolder: string;
  dataDir: string;
  toolPath?: string;
  /** The engine's environment, where the user's PHOTON_ALLOW_UNSANDBOXED and PHOTON_BWRAP are read. */
  engineEnv: Readonly<Record<string, string>>;
}

/**
 * The sandbox fences a process on this machine. A sandboxed step placed on a remote host is
 * refused before anything starts, rather than run there unfenced.
 */
export function refuseRemoteSandbox(step: WorkflowStep, index: number, agent: Agent | null, host: string | null | undefined): void {
  if (!host || !sandboxOf(step, agent)) return;
  const place = step.sandbox ? `workflow[${index}].sandbox` : `agent "${agent?.id}" sandbox`;
  throw new PhotonError(
    'invalid',
    `${place}: this step runs on host "${host}", where Photon cannot fence a process in yet (the sandbox runs on this machine). To fix: run it here (remove its "host"), or on ${host} without "sandbox".`,
  );
}

/** The terminal to start for the attempt: fenced in, or refused (a PhotonError saying why and what to do). */
export async function fenceAttempt(terminal: CreateTerminalOptions, fence: AttemptFence): Promise<CreateTerminalOptions> {
  const fenced = await fenceProcess({ file: terminal.file, args: terminal.args, cwd: terminal.cwd, env: terminal.env ?? {} }, fence);
  if (!fenced) return terminal;
  const filter = explainingFilter(terminal.outputFilter, fenced.context, fenced.notice);
  return { ...terminal, file: fenced.file, args: fenced.args, outputFilter: filter };
}

/**
 * An ACP session step's agent process, fenced in as a terminal step's is (or refused): the same
 * plan, so the agent and every tool it starts may write only the step's folders. A session has no
 * terminal to say what the sandbox refused: the agent reports the failed tool call itself.
 */
export async function fenceSession(launch: { command: string; args: readonly string[]; cwd: string; env: Readonly<Record<string, string>> }, fence: AttemptFence): Promise<{ command: string; args: string[]; notice?: string }> {
  const fenced = await fenceProcess({ file: launch.command, args: launch.args, cwd: launch.cwd, env: launch.env }, fence);
  if (!fenced) return { command: launch.command, args: [...launch.args] };
  return { command: fenced.file, args: fenced.args, ...(fenced.notice ? { notice: fenced.notice.replace(/^photon: /, '') } : {}) };
}

/** The command that runs a process in the sandbox; null when the step has none. Throws when it must and cannot be fenced. */
async function fenceProcess(process: { file: string; args: readonly string[]; cwd: string; env: Readonly<Record<string, string>> }, fence: AttemptFence) {
  const sandbox = sandboxOf(fence.step, fence.agent);
  if (!sandbox) return null;
  const place = fence.step.sandbox ? `workflow[${fence.index}].sandbox` : `agent "${fence.agent?.id}" sandbox`;
  const plan = fencePlan({ ...fence, sandbox, place, cwd: process.cwd, env: process.env });
  const context = { plan, place, aiTool: fence.aiTool };
  const available = await sandboxAvailability(fence.engineEnv);
  if (!available.ok) {
    if (fence.engineEnv.PHOTON_ALLOW_UNSANDBOXED !== '1') {
      throw new PhotonError('unavailable', `${place}: this step must run in a sandbox, and ${available.reason}. To fix: ${available.fix}.`);
    }
    const notice = `photon: running without a sandbox, as PHOTON_ALLOW_UNSANDBOXED=1 allows: ${available.reason}.`;
    return { file: process.file, args: [...process.args], context, notice };
  }
  const { program } = available;
  if (program.kind === 'bwrap') preparePrivateHome(plan);
  const args = program.kind === 'bwrap' ? bwrapArgs(plan, process.file, process.args) : seatbeltArgs(plan, process.file, process.args);
  return { file: program.path, args, context, notice: undefined };
}
