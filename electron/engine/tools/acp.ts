import type { AcpDetection } from '../../../shared/tools.js';
import { findExecutable } from './detect.js';

/**
 * Which tools can run as an Agent Client Protocol session, and how each is started. Claude Code
 * and Codex speak ACP through adapters published on npm (each runs its vendor's agent code, not
 * the installed CLI); Gemini CLI speaks it itself with `--acp`.
 */
export interface AcpMode {
  /** Executable names to look for on the login shell's PATH, in order. */
  binaries: readonly string[];
  args: readonly string[];
  /** How a user installs it. */
  install: string;
  /** ACP `authenticate` method to call after `initialize`, for adapters that need one. */
  authMethod?: string;
  /** How long `initialize` and `session/new` may take: gemini needs 3 to 6 s warm, 16 s cold. */
  startTimeoutMs: number;
  /** Variables its process needs beyond the tool's own (see CLI-FACTS.md, ACP). */
  env?: Record<string, string>;
}

export const acpModes: Readonly<Record<string, AcpMode>> = {
  'claude-code': {
    binaries: ['claude-agent-acp'],
    args: [],
    install: 'npm install -g @zed-industries/claude-agent-acp',
    startTimeoutMs: 30_000,
  },
  codex: {
    binaries: ['codex-acp'],
    args: [],
    install: 'npm install -g @zed-industries/codex-acp',
    authMethod: 'openai-api-key',
    startTimeoutMs: 30_000,
  },
  gemini: {
    binaries: ['gemini'],
    args: ['--acp'],
    install: 'npm install -g @google/gemini-cli',
    startTimeoutMs: 60_000,
    // Its always-allow fails in a folder it does not trust; Photon asks in its own inbox anyway.
    env: { GEMINI_CLI_TRUST_WORKSPACE: 'true' },
  },
};

/** Whether the platform has an ACP mode, and where its executable is on this PATH. */
export function detectAcp(platform: string, searchPath: string, env: Record<string, string | undefined>): AcpDetection | undefined {
  const mode = acpModes[platform];
  if (!mode) return undefined;
  const found = findExecutable(mode.binaries, searchPath, env);
  const command = [mode.binaries[0], ...mode.args].join(' ');
  if (!found) return { available: false, path: null, command, install: mode.install, error: `no ${mode.binaries.map((b) => `"${b}"`).join(' or ')} on the login shell's PATH: ${mode.install}` };
  return { available: true, path: found.path, command: [found.name, ...mode.args].join(' '), install: mode.install };
}
