// Types for start-electron.js (plain JavaScript so `npm start` runs it with no build step).
export function electronExecutable(root?: string, env?: NodeJS.ProcessEnv): string | undefined;
export function downloadBlockedMessage(version: string, detail?: string): string;
export function nativeBuildFailedMessage(detail: string): string;
export function electronEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export function ensureElectronBinary(root?: string, options?: { timeoutMs?: number; env?: NodeJS.ProcessEnv }): { executable: string | undefined; reason?: string };
export function main(argv?: string[], root?: string): Promise<number>;
