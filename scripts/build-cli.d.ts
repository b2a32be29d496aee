// Types for build-cli.js (plain JavaScript so `npm install` runs it with no build step).
export const projectRoot: string;
export const cliOutDir: string;
export const cliEntry: string;
/** The packages bundled into the build; every other is imported from node_modules. */
export const bundledPackages: readonly string[];
/**
 * Builds the command line into `outDir` (out/cli by default); resolves with how many sources it
 * holds, and each file of the build (by name) with the bundled packages inside it and their
 * modules (as node_modules/...).
 */
export function buildCli(outDir?: string): Promise<{ sources: number; packagesIn: Record<string, string[]>; modulesIn: Record<string, string[]> }>;
/** A source's `import { z } from 'zod'` lines as `import * as z from 'zod'`, which esbuild tree-shakes. */
export function zodAsNamespace(text: string): string;
/** A file's size and modification time (for a package's file, its inode's change time), as the manifest records them. */
export function fingerprint(file: string): string;
/** Whether `outDir` (out/cli by default) holds a build of the sources as they are now. */
export function buildIsCurrent(outDir?: string): boolean;
