import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { photonBin, repoRoot, run, tempFolder } from './helpers.js';

interface RecordedSpawn {
  file: string;
  args: string[];
  /** Who started it: the stack at the spawn. */
  stack: string;
  /** The NODE_EXTRA_CA_CERTS the process was given, or null. */
  extraCa: string | null;
}

/** A preload for `node --import` that records each process the photon process starts, and how. */
function recordSpawns(dir: string): { preload: string; read: () => RecordedSpawn[] } {
  const log = join(dir, 'spawns.json');
  const preload = join(dir, 'spawns.mjs');
  writeFileSync(
    preload,
    `import childProcess from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const spawns = [];
const realSpawn = childProcess.spawn;
childProcess.spawn = function (file, args, options, ...rest) {
  const given = Array.isArray(args) ? options : args;
  const env = (given && typeof given === 'object' && given.env) || process.env;
  spawns.push({ file: String(file), args: Array.isArray(args) ? args : [], stack: new Error().stack, extraCa: env.NODE_EXTRA_CA_CERTS ?? null });
  return realSpawn.call(this, file, args, options, ...rest);
};
syncBuiltinESMExports();
process.on('exit', () => writeFileSync(${JSON.stringify(log)}, JSON.stringify(spawns)));
`,
  );
  return { preload, read: () => JSON.parse(readFileSync(log, 'utf8')) as RecordedSpawn[] };
}

/** The Node host (pty-host-main.js) or the host in C (photon-pty-spawner --host). */
const startsHost = (spawn: RecordedSpawn) => spawn.args.some((arg) => arg.endsWith('pty-host-main.js')) || (spawn.file.endsWith('photon-pty-spawner') && spawn.args.includes('--host'));

/**
 * `photon run` starts its steps' pty host from bin/photon.js, before it loads the command line,
 * and the engine takes that host rather than starting another: the host's Node start-up then
 * overlaps the command line's own, where the first step waited for it.
 */
describe('photon run', () => {
  it('starts one pty host, from bin/photon.js before the command line loads', async () => {
    const { dir, dataDir, cleanup } = tempFolder();
    const file = join(dir, 'one.json');
    writeFileSync(file, JSON.stringify({ name: 'one', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' }, dependencies: [] }] }));
    const spawns = recordSpawns(dir);
    try {
      const env = { ...process.env };
      delete env.PHOTON_DATA_DIR;
      const ran = await run(process.execPath, ['--import', spawns.preload, photonBin, 'run', file, '--data-dir', dataDir], { cwd: repoRoot, env });
      expect(ran.code, ran.stderr).toBe(0);
      const hosts = spawns.read().filter(startsHost);
      expect(hosts).toHaveLength(1);
      expect(hosts[0]!.stack).toContain(photonBin);
    } finally {
      cleanup();
    }
  }, 60_000);

  it('starts the host without NODE_EXTRA_CA_CERTS, which only slows its start, and its steps with it', async () => {
    const { dir, dataDir, cleanup } = tempFolder();
    const certificates = join(dir, 'extra-ca.pem');
    writeFileSync(certificates, '');
    const seen = join(dir, 'seen.txt');
    const file = join(dir, 'one.json');
    writeFileSync(file, JSON.stringify({ name: 'one', workflow: [{ step: 1, platform: 'shell', inputs: { command: `printenv NODE_EXTRA_CA_CERTS > ${JSON.stringify(seen)}` }, dependencies: [] }] }));
    const spawns = recordSpawns(dir);
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: certificates };
      delete env.PHOTON_DATA_DIR;
      const ran = await run(process.execPath, ['--import', spawns.preload, photonBin, 'run', file, '--data-dir', dataDir], { cwd: repoRoot, env });
      expect(ran.code, ran.stderr).toBe(0);
      expect(spawns.read().filter(startsHost)).toEqual([expect.objectContaining({ extraCa: null })]);
      expect(readFileSync(seen, 'utf8')).toBe(`${certificates}\n`);
    } finally {
      cleanup();
    }
  }, 60_000);
});
