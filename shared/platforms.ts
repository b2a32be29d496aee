/**
 * Every platform name a workflow may use. Which of them this engine can actually run is the
 * engine's answer (see `system.info`), so the canvas and the engine validate against the same set.
 */
export interface PlatformInfo {
  id: string;
  label: string;
  /** The input that holds what the step does: a shell command or an AI prompt. */
  primaryInput: 'command' | 'prompt';
}

export const platforms: readonly PlatformInfo[] = [
  { id: 'shell', label: 'Shell', primaryInput: 'command' },
  { id: 'claude-code', label: 'Claude Code', primaryInput: 'prompt' },
  { id: 'zai', label: 'Z.AI (GLM via Claude Code)', primaryInput: 'prompt' },
  { id: 'codex', label: 'Codex', primaryInput: 'prompt' },
  { id: 'gemini', label: 'Gemini CLI', primaryInput: 'prompt' },
  { id: 'agy', label: 'Antigravity', primaryInput: 'prompt' },
  { id: 'cursor', label: 'Cursor agent', primaryInput: 'prompt' },
  { id: 'aider', label: 'Aider', primaryInput: 'prompt' },
];

export const platformIds: readonly string[] = platforms.map((p) => p.id);

export function platformInfo(id: string): PlatformInfo | undefined {
  return platforms.find((p) => p.id === id);
}
