// Types for build-cli.js (plain JavaScript so `npm install` runs it with no build step).
export const projectRoot: string;
export const cliOutDir: string;
export const cliEntry: string;
/** Builds the command line into `outDir` (out/cli by default); resolves with how many sources it holds. */
export function buildCli(outDir?: string): Promise<{ sources: number }>;
/** A file's size and modification time, as the manifest records them. */
export function fingerprint(file: string): string;
/** Whether `outDir` (out/cli by default) holds a build of the sources as they are now. */
export function buildIsCurrent(outDir?: string): boolean;
