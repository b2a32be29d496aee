// The engine holds V8's young generation at semi-spaces of 4 MB in the hosts the command line starts
// (electron/engine/young-generation.ts): left to grow, they double up to 16 MB each under a
// terminal flood, about 30 MB of the engine's memory (issue 5's goal: under 50 MB of growth).
// A probe preloaded into the photon process (NODE_OPTIONS), asked by SIGUSR2 while the engine
// runs, allocates as a flood does (much garbage, some of it surviving a while, in slices between
// which the process takes other tasks) and writes the size V8 then gives its new space (both
// semi-spaces): 32 MB as V8 alone sizes it, 8 as the engine holds it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { photon, startPhoton, tempFolder, waitUntil, writeWorkflow } from './helpers.js';

const probe = `'use strict';
if (process.argv[1] && process.argv[1].endsWith('photon.js')) {
  const { writeFileSync } = require('node:fs');
  const v8 = require('node:v8');
  const out = process.env.YOUNG_PROBE_OUT;
  writeFileSync(out + '.pid', String(process.pid));
  process.on('SIGUSR2', async () => {
    // In slices, as a flood's frames come: the engine looks at its young generation between tasks.
    const ring = new Array(1024);
    for (let slice = 0; slice < 200; slice++) {
      for (let n = slice * 20000; n < (slice + 1) * 20000; n++) ring[n % ring.length] = { n, text: String(n) };
      await new Promise((resolve) => setImmediate(resolve));
    }
    const newSpace = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    writeFileSync(out, String(newSpace.space_size));
  });
}
`;

/** What the engine's hosts let V8's new space reach: semi-spaces of 4 MB; V8 alone takes them to 16. */
const smallMb = 8;

describe("the engine's young generation", () => {
  let folder: ReturnType<typeof tempFolder>;
  afterEach(() => folder?.cleanup());

  /** The probe's environment and where it writes: its pid, then the new space's size once signalled. */
  const probed = () => {
    folder = tempFolder();
    const file = join(folder.dir, 'young-probe.cjs');
    writeFileSync(file, probe);
    const out = join(folder.dir, 'new-space');
    const env = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require=${file}`.trim(), YOUNG_PROBE_OUT: out, PHOTON_DATA_DIR: folder.dataDir };
    const newSpaceMb = () => Number(readFileSync(out, 'utf8')) / 1024 / 1024;
    return { env, out, newSpaceMb };
  };
  const exists = (file: string) => {
    try {
      readFileSync(file);
      return true;
    } catch {
      return false;
    }
  };

  it('stays small in `photon serve` under an allocation that grows it to its maximum in plain Node', async () => {
    const { env, out, newSpaceMb } = probed();
    const server = startPhoton(['serve', '--port', '0', '--data-dir', folder.dataDir], { env });
    try {
      await waitUntil(() => /Photon is running at /.test(server.stdout()) || server.child.exitCode !== null, 60_000, "photon serve's address");
      expect(server.stdout()).toContain('Photon is running at ');
      server.child.kill('SIGUSR2');
      await waitUntil(() => exists(out), 30_000, "the probe's answer");
      expect(newSpaceMb()).toBeLessThanOrEqual(smallMb);
    } finally {
      server.child.kill('SIGTERM');
      await server.done;
    }
  }, 90_000);

  it('stays small in `photon run` while its steps run', async () => {
    const { env, out, newSpaceMb } = probed();
    // The step signals the photon process (its pid from the probe), then outlasts the probe's work.
    const workflow = writeWorkflow(folder.dir, 'probe', [{ step: 1, command: `kill -USR2 $(cat ${out}.pid); for i in $(seq 300); do [ -s ${out} ] && break; sleep 0.1; done` }]);
    const ran = await photon(['run', workflow, '--json', '--data-dir', folder.dataDir], { env });
    expect(JSON.parse(ran.stdout)).toMatchObject({ status: 'succeeded' });
    expect(newSpaceMb()).toBeLessThanOrEqual(smallMb);
  }, 90_000);
});
