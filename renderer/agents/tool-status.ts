import type { ToolDetection } from '../../shared/tools.js';

export type ToolState = 'ready' | 'problem' | 'too-old' | 'missing';

/** A detected tool's state as a word and a symbol (never colour alone). */
export function toolState(tool: ToolDetection): { state: ToolState; label: string; icon: string } {
  if (!tool.installed) return { state: 'missing', label: 'Not installed', icon: '✕' };
  if (tool.tooOld) return { state: 'too-old', label: 'Too old', icon: '⚠' };
  if (tool.error) return { state: 'problem', label: 'Installed, with a problem', icon: '⚠' };
  return { state: 'ready', label: 'Installed', icon: '✓' };
}

/** What the tool offers Photon, in words: "JSON output, resume, cost, tokens". */
export function supportsText(tool: ToolDetection): string {
  const { supports } = tool;
  const parts = [supports.json ? 'JSON output' : null, supports.resume ? 'resume' : null, supports.cost ? 'cost' : null, supports.tokens ? 'tokens' : null].filter(
    (part): part is string => part !== null,
  );
  return parts.length > 0 ? parts.join(', ') : 'text output';
}
