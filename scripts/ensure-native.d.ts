// Types for ensure-native.js (plain JavaScript so `npm start` runs it with no build step).
export interface NativeTarget {
  electronVersion: string;
  platform: string;
  arch: string;
}
export interface EnsureOptions extends Partial<NativeTarget> {
  root?: string;
  force?: boolean;
  quiet?: boolean;
  timeoutMs?: number;
  log?: (line: string) => void;
}
export const projectRoot: string;
export const sqliteBindingFile: string;
export function electronNativeDirName(target: NativeTarget): string;
export function electronSqlitePath(root: string, target: NativeTarget): string;
export function installedVersion(root: string, packageName: string): string;
export function electronAbi(root: string): string | undefined;
export function prebuildInstallArgs(target: NativeTarget): string[];
export function nodeGypArgs(target: Pick<NativeTarget, 'electronVersion' | 'arch'>, devDir?: string): string[];
export function builderEnv(env?: NodeJS.ProcessEnv): Record<string, string>;
export function ensureElectronSqlite(options?: EnsureOptions): string;
export function parseArgs(argv: string[]): EnsureOptions;
