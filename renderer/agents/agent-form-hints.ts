/**
 * What the agent form says about a tool before the user relies on it: where the tool reads its
 * key and endpoint (as the installed versions were seen to), and an autonomy mode it refuses.
 */
import type { AutonomyMode } from '../../shared/agents.js';
import { toolKeys } from '../../shared/tool-keys.js';

/** "Reads ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or CLAUDE_CODE_OAUTH_TOKEN; endpoint: ANTHROPIC_BASE_URL. <note>" */
export function toolKeysHint(platform: string): string | undefined {
  const known = toolKeys[platform];
  if (!known) return undefined;
  const keys = known.keys.length === 0 ? 'Reads no key.' : `Reads its key from ${orList(known.keys)}${known.baseUrl ? `; its endpoint from ${known.baseUrl}` : ''}.`;
  return `${keys} ${known.note}`;
}

/** Claude Code (and Z.AI through it) refuses bypassPermissions as root: said before "full" is picked. */
export function autonomyHint(platform: string, autonomy: AutonomyMode): string | undefined {
  if (platform !== 'claude-code' && platform !== 'zai') return undefined;
  const refusal = 'Claude Code refuses "Full" (bypassPermissions) when it runs as root, as in many containers';
  return autonomy === 'full' ? `${refusal}: if Photon runs as root, its steps fail; pick Auto-edit there.` : `${refusal}.`;
}

function orList(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}
