// Types for build-pty-spawner.js (plain JavaScript so `npm install` runs it with no build step).
export const projectRoot: string;
/** The spawner's C sources (every .c compiled, any newer .c or .h makes the build stale). */
export const spawnerSourceDir: string;
/** Where the engine looks for the spawner (electron/engine/terminals/pty-host.ts, ptySpawnerPath). */
export const spawnerBinary: string;
export interface SpawnerBuild {
  built: boolean;
  /** The build was already newer than its source: nothing was compiled. */
  current?: boolean;
  /** Why it was not built (no compiler, Windows, a failed compile). */
  reason?: string;
  warnings?: string;
}
export interface SpawnerBuildOptions {
  sourceDir?: string;
  binary?: string;
  compiler?: string;
  force?: boolean;
}
export function spawnerIsStale(sourceDir?: string, binary?: string): boolean;
/** Compiles the spawner; never throws for a missing compiler (terminals then start through node-pty). */
export function buildSpawner(options?: SpawnerBuildOptions): SpawnerBuild;
/** Builds when stale and says in one line what happened. */
export function ensureSpawner(options?: SpawnerBuildOptions, log?: (line: string) => void): SpawnerBuild;
