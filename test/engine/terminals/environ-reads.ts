/**
 * node:fs and node:fs/promises with their reads of /proc/PID/environ passed through `seen`, for
 * vi.mock: `seen` hears each read's pid and may answer in its place (undefined reads the file).
 * Tests of the search for marked processes count or alter those reads.
 */
type Seen = (pid: number) => Buffer | undefined;

const environPid = (path: unknown) => Number(/^\/proc\/(\d+)\/environ$/.exec(String(path))?.[1] ?? Number.NaN);

export function fsSeeingEnviron(actual: typeof import('node:fs'), seen: Seen) {
  const readFileSync = ((path: unknown, ...rest: unknown[]) => {
    const pid = environPid(path);
    const answer = Number.isNaN(pid) ? undefined : seen(pid);
    return answer ?? (actual.readFileSync as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof actual.readFileSync;
  return { ...actual, readFileSync, default: { ...actual, readFileSync } };
}

export function fsPromisesSeeingEnviron(actual: typeof import('node:fs/promises'), seen: Seen) {
  const readFile = ((path: unknown, ...rest: unknown[]) => {
    const pid = environPid(path);
    const answer = Number.isNaN(pid) ? undefined : seen(pid);
    return answer ? Promise.resolve(answer) : (actual.readFile as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof actual.readFile;
  return { ...actual, readFile, default: { ...actual, readFile } };
}
