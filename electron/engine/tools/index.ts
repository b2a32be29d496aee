/**
 * Tools: one adapter per platform, turning a step into the process that runs it and, for the AI
 * coding CLIs, reading that process's structured output back into the step's result. The registry
 * also finds the tools (login-shell PATH, version, flags) and remembers what it found.
 */
import { PhotonError } from '../../../shared/errors.js';
import { aiderAdapter } from './aider.js';
import { claudeCodeAdapter, zaiAdapter } from './claude-code.js';
import { codexAdapter } from './codex.js';
import { cursorAdapter } from './cursor.js';
import { ToolDetector, type DetectorOptions, type ToolDetection } from './detect.js';
import { agyAdapter, geminiAdapter } from './gemini.js';
import { shellAdapter } from './shell.js';
import { canRun, unusableToolMessage } from './usable.js';
import type { AiToolAdapter, ToolAdapter } from './tool-adapter.js';

export type {
  AiToolAdapter,
  AutonomyMode,
  Connection,
  FolderUse,
  Invocation,
  InvocationContext,
  TokenUsage,
  ToolAdapter,
  ToolExit,
  ToolResult,
  ToolSupport,
} from './tool-adapter.js';
export { autonomyModes, isAiToolAdapter } from './tool-adapter.js';
export type { DetectorOptions, ToolDetection } from './detect.js';
export { compareVersions, extractVersion, findExecutable, flagsPassed, missingFlags, ToolDetector } from './detect.js';
export { mergeEnv, nonEmptyEnv, promptFor } from './prompt.js';
export { acpInvocation, acpModes, detectAcp, type AcpInvocation, type AcpMode } from './acp.js';
export { authFailureAdvice } from './credentials.js';
export type { RefusalWatch } from './refusal-watch.js';
export { canRun, interactiveInvocation, unusableToolMessage } from './usable.js';
export { stripAnsi, terminalLines } from './terminal-text.js';
export { userShell, shellAdapter } from './shell.js';
export { aiderAdapter, agyAdapter, claudeCodeAdapter, codexAdapter, cursorAdapter, geminiAdapter, zaiAdapter };

/** The AI coding CLIs, in the order the platforms list them. */
export const aiToolAdapters: readonly AiToolAdapter[] = [claudeCodeAdapter, zaiAdapter, codexAdapter, geminiAdapter, agyAdapter, cursorAdapter, aiderAdapter];

/** Every adapter: the shell and the AI tools. */
export const allToolAdapters: readonly ToolAdapter[] = [shellAdapter, ...aiToolAdapters];

export interface ToolRegistry {
  runnablePlatforms(): Set<string>;
  adapterFor(platform: string): ToolAdapter;
  /** Each tool with what was found (installed, path, version, support); looked up once, then remembered. */
  list(): Promise<ToolDetection[]>;
  /** Looks again, the login shell's PATH included, and remembers the new answer. */
  detect(): Promise<ToolDetection[]>;
  /** One platform's detection, from the remembered answer when there is one. */
  detection(platform: string): Promise<ToolDetection>;
  /** The remembered answer for a platform, if one has arrived (no lookup is started). */
  known(platform: string): ToolDetection | undefined;
  /** The executable an AI tool runs from, or an `unavailable` error saying how to install or update it. */
  requireRunnable(adapter: AiToolAdapter): Promise<ToolDetection & { path: string }>;
}

export function createToolRegistry(adapters: readonly ToolAdapter[] = [shellAdapter], options: DetectorOptions = {}): ToolRegistry {
  const byPlatform = new Map(adapters.map((adapter) => [adapter.platform, adapter]));
  const detector = new ToolDetector(options);
  const cache = new Map<string, Promise<ToolDetection>>();
  const settled = new Map<string, ToolDetection>();

  const adapterFor = (platform: string): ToolAdapter => {
    const adapter = byPlatform.get(platform);
    if (!adapter) throw new PhotonError('invalid', `platform "${platform}" cannot run in this version of Photon`);
    return adapter;
  };
  const detection = (platform: string): Promise<ToolDetection> => {
    let found = cache.get(platform);
    if (!found) {
      const lookup = detector.detect(adapterFor(platform));
      found = lookup;
      cache.set(platform, lookup);
      // A lookup that a newer `detect()` replaced must not overwrite the newer answer.
      void lookup.then((answer) => {
        if (cache.get(platform) !== lookup) return;
        settled.set(platform, answer);
        // A tool too slow to answer this time is asked again next time, not judged for the engine's life.
        if (answer.versionTimedOut) cache.delete(platform);
      });
    }
    return found;
  };
  const list = () => Promise.all([...byPlatform.keys()].map(detection));

  return {
    runnablePlatforms: () => new Set(byPlatform.keys()),
    adapterFor,
    list,
    detect() {
      detector.reset();
      cache.clear();
      return list();
    },
    detection,
    known: (platform) => settled.get(platform),
    async requireRunnable(adapter) {
      const found = await detection(adapter.platform);
      if (!canRun(found) || !found.path) throw new PhotonError('unavailable', unusableToolMessage(found, adapter));
      return { ...found, path: found.path };
    },
  };
}
