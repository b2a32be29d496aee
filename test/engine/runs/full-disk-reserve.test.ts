// The space kept for settling runs on a full disk (photon.db-reserve) in an engine that stays up: given
// back to settle a run when the disk filled, it is made again once the user has freed space and resumes,
// so the next full disk finds it. A real tmpfs of a few megabytes (in a user and mount namespace of its
// own) holds the data folder; full-disk-engine.ts runs the engine there.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundled } from '../../fixtures/bundled.js';
import { run } from '../../server/cli/helpers.js';
import { makeTempDir, removeDir } from '../helpers.js';

const namespaces = spawnSync('unshare', ['-rm', 'true']).status === 0;

describe.skipIf(!namespaces)('the disk reserve of an engine that stays up', () => {
  let root = '';
  afterEach(() => removeDir(root));

  it('is given back to settle the run on the full disk, and made again when the run is resumed', async () => {
    root = makeTempDir('full-disk-reserve');
    const data = join(root, 'data');
    const work = join(root, 'work');
    mkdirSync(data);
    mkdirSync(work);
    const env = { ...process.env };
    delete env.PHOTON_DATA_DIR;
    const mountAndRun = 'mount -t tmpfs -o size=8m photon-full "$1" && exec node "$2" "$1" "$3"';
    const result = await run('unshare', ['-rm', 'sh', '-c', mountAndRun, 'sh', data, await bundled('test/engine/runs/full-disk-engine.ts'), work], { cwd: process.cwd(), env });
    expect(result.code, result.stderr).toBe(0);
    const seen = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(seen).toEqual({ reserveAtStart: true, first: 'failed', reserveAfterSettling: false, reserveAfterResume: true, resumed: 'succeeded' });
  }, 120_000);
});
