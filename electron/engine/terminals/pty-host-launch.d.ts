// Types for pty-host-launch.js (plain JavaScript so that bin/photon.js can import it).
import type { ChildProcess } from 'node:child_process';
export function ptyHostArgs(hostScript: string, spawner: string | undefined, env?: NodeJS.ProcessEnv): string[];
export function launchPtyHost(args: readonly string[]): ChildProcess;
export function prelaunchPtyHost(args: readonly string[]): void;
export function takePrelaunchedPtyHost(args: readonly string[]): ChildProcess | undefined;
