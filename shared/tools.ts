/**
 * What the engine found out about each tool it can run: the contract's answer to `tools.list`
 * and `tools.detect`. The engine's detector fills it; the UI shows it as it is.
 */
import type { AutonomyMode } from './agents.js';

export type { AutonomyMode };

export interface ToolSupport {
  /** A machine-readable output mode is used (false: the output is read from text). */
  json: boolean;
  resume: boolean;
  cost: boolean;
  tokens: boolean;
  autonomyModes: AutonomyMode[];
}

export interface ToolDetection {
  platform: string;
  label: string;
  installed: boolean;
  /** Where the executable was found on PATH (links not followed, so it reads as the user knows it). */
  path: string | null;
  /** Which of the adapter's names was found, e.g. `agent` for Cursor. */
  binary: string | null;
  version: string | null;
  minimumVersion: string | null;
  tooOld: boolean;
  supports: ToolSupport;
  /** Flags the adapter passes that this version's help does not list. */
  missingFlags?: string[];
  /** The PATH the tool was found on; its process should get the same. */
  searchPath?: string;
  /** What is wrong, said so the user can fix it: missing, too old, unreadable version, flags. */
  error?: string;
  /**
   * `--version` did not answer in time (a busy machine; Gemini CLI takes seconds to start). Not a
   * verdict: its steps run anyway, and the next lookup asks again.
   */
  versionTimedOut?: boolean;
  /** Advice that does not stop the tool from running, e.g. a sign-in its vendor retired. */
  notes?: string[];
  /** Whether the tool can run as an ACP session (structured, with permission requests), absent when it has no ACP mode. */
  acp?: AcpDetection;
  checkedAt: string;
}

/** A tool's Agent Client Protocol mode as found on this machine. */
export interface AcpDetection {
  available: boolean;
  /** The adapter's (or the tool's own) executable. */
  path: string | null;
  /** What is started, e.g. `claude-agent-acp` or `gemini --acp`. */
  command: string;
  /** How to install it. */
  install: string;
  error?: string;
}

/** Whether a detected tool can run a step now. */
export function isToolUsable(tool: ToolDetection): boolean {
  return tool.installed && !tool.tooOld && !tool.error;
}
