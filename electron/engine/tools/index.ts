/**
 * Tools: one adapter per platform, turning a step into the process that runs it. Only the shell
 * platform exists so far; the AI tools arrive with their adapters.
 */
import { PhotonError } from '../../../shared/errors.js';
import { shellAdapter } from './shell.js';
import type { ToolAdapter } from './tool-adapter.js';

export type { Invocation, ToolAdapter } from './tool-adapter.js';
export { userShell } from './shell.js';

export interface ToolRegistry {
  runnablePlatforms(): Set<string>;
  adapterFor(platform: string): ToolAdapter;
}

export function createToolRegistry(adapters: readonly ToolAdapter[] = [shellAdapter]): ToolRegistry {
  const byPlatform = new Map(adapters.map((adapter) => [adapter.platform, adapter]));
  return {
    runnablePlatforms: () => new Set(byPlatform.keys()),
    adapterFor(platform) {
      const adapter = byPlatform.get(platform);
      if (!adapter) throw new PhotonError('invalid', `platform "${platform}" cannot run in this version of Photon`);
      return adapter;
    },
  };
}
