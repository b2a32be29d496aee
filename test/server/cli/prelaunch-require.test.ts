/**
 * bin/photon.js loads the pty host's launcher (an ES module) with require() where Node does so
 * without a warning: through import() its asynchronous loading took about 8 ms more of every
 * `photon run`'s start (issue 17). require() leaves the module in require.cache, import() does not.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { photonBin, repoRoot, run, tempFolder } from './helpers.js';

const launcher = join(repoRoot, 'electron', 'engine', 'terminals', 'pty-host-launch.js');
const quiet = process.features.require_module === true && (Number(process.versions.node.split('.')[0]) === 20 || Number(process.versions.node.split('.')[0]) >= 24);

describe.skipIf(!quiet)('photon run', () => {
  it("requires the pty host's launcher, without a warning", async () => {
    const { dir, dataDir, cleanup } = tempFolder();
    const file = join(dir, 'one.json');
    writeFileSync(file, JSON.stringify({ name: 'one', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' }, dependencies: [] }] }));
    const seen = join(dir, 'required.json');
    const preload = join(dir, 'required.cjs');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify(Object.keys(require.cache))));\n`);
    try {
      const env = { ...process.env };
      delete env.PHOTON_DATA_DIR;
      const ran = await run(process.execPath, ['--require', preload, photonBin, 'run', file, '--data-dir', dataDir], { cwd: repoRoot, env });
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stderr).not.toMatch(/warning/i);
      expect(JSON.parse(readFileSync(seen, 'utf8'))).toContain(launcher);
    } finally {
      cleanup();
    }
  }, 60_000);
});
