import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { photonBin, repoRoot, run, tempFolder } from './helpers.js';

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
    const log = join(dir, 'spawns.json');
    // Each process this one starts, with who started it (the stack at the spawn).
    const preload = join(dir, 'spawns.mjs');
    writeFileSync(
      preload,
      `import childProcess from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
const spawns = [];
const realSpawn = childProcess.spawn;
childProcess.spawn = function (file, args, ...rest) {
  spawns.push({ args: Array.isArray(args) ? args : [], stack: new Error().stack });
  return realSpawn.call(this, file, args, ...rest);
};
syncBuiltinESMExports();
process.on('exit', () => writeFileSync(${JSON.stringify(log)}, JSON.stringify(spawns)));
`,
    );
    try {
      const env = { ...process.env };
      delete env.PHOTON_DATA_DIR;
      const ran = await run(process.execPath, ['--import', preload, photonBin, 'run', file, '--data-dir', dataDir], { cwd: repoRoot, env });
      expect(ran.code, ran.stderr).toBe(0);
      const spawns = JSON.parse(readFileSync(log, 'utf8')) as { args: string[]; stack: string }[];
      const hosts = spawns.filter((spawn) => spawn.args.some((arg) => arg.endsWith('pty-host-main.js')));
      expect(hosts).toHaveLength(1);
      expect(hosts[0]!.stack).toContain(photonBin);
    } finally {
      cleanup();
    }
  }, 60_000);
});
