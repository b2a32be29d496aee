import type { ToolDetection } from '../../../shared/tools.js';
import { baseToolEnv } from './prompt.js';
import type { AiToolAdapter, Invocation, InvocationContext } from './tool-adapter.js';

/**
 * Whether a detected tool can run a step: found, with a readable version at or above the adapter's
 * minimum. Flags its help does not list are only a warning: help texts move faster than the flags.
 */
export function canRun(detection: ToolDetection): boolean {
  return detection.installed && !detection.tooOld && (detection.version !== null || detection.minimumVersion === null || detection.versionTimedOut === true);
}

/**
 * Why a tool cannot run, what was found, and what to do: install what is missing, update what is
 * too old; a tool whose version could not be read is not old, so it is not told to update.
 */
export function unusableToolMessage(detection: ToolDetection, adapter: AiToolAdapter): string {
  const found = detection.error ?? `${adapter.label} cannot run`;
  const again = 'then run "Detect tools" (or `photon tools`).';
  if (!detection.installed) return `${found}. To install it: ${adapter.install}; ${again}`;
  if (detection.tooOld) return `${found}. To update it: ${adapter.install}; ${again}`;
  const command = [detection.binary ?? adapter.binaries[0], ...adapter.versionArgs].join(' ');
  return `${found}. Check that \`${command}\` works in a terminal, ${again}`;
}

/**
 * The tool's own interactive session in a terminal: no prompt, no output format, the agent's model,
 * and its key and endpoint passed as for a step (the adapter's `connection`). Every adapter's tool
 * takes `--model` at its top level.
 */
export function interactiveInvocation(adapter: AiToolAdapter, context: InvocationContext): Invocation {
  const { args: connect = [], ...environment } = adapter.connection?.(context) ?? { env: baseToolEnv(context) };
  const model = context.model?.trim() ? ['--model', context.model.trim()] : [];
  const name = context.binaryPath.split(/[\\/]/).pop() ?? context.binaryPath;
  // The terminal's title names the tool and model; the endpoint's setting would only crowd it.
  return { file: context.binaryPath, args: [...connect, ...model], ...environment, display: [name, ...model].join(' ') };
}
