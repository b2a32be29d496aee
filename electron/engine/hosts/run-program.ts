import { spawn } from 'node:child_process';

export interface ProgramResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs one of the user's programs (ssh, ssh-keygen) to its end, with nothing on its stdin unless
 * given, and kills it after `timeoutMs`. It runs in a process group of its own, so a timeout also
 * stops what it started (an ssh's ProxyCommand).
 */
export function runProgram(file: string, args: readonly string[], options: { env: Record<string, string>; timeoutMs: number; input?: string }): Promise<ProgramResult> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: `${stderr}${error.message}`, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
