// `photon run` on a disk that fills up while the run runs: a real tmpfs of a few megabytes (mounted in a
// user and mount namespace of its own) holds the data folder, and the workflow's first step fills it.
// The engine's next commit is refused with a real SQLITE_FULL. The command must not crash: it says
// which step failed and why, exits 1, and leaves the run failed and resumable in its database.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import { photonBin, run } from '../../server/cli/helpers.js';
import { makeTempDir, removeDir, startEngine } from '../helpers.js';

const namespaces = spawnSync('unshare', ['-rm', 'true']).status === 0;

describe.skipIf(!namespaces)('photon run on a disk that fills up', () => {
  let root = '';
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    removeDir(root);
  });

  it('fails the run saying why, exits 1 without a stack trace, and leaves the run failed and resumable', async () => {
    root = makeTempDir('full-disk');
    const data = join(root, 'data');
    const work = join(root, 'work');
    mkdirSync(data);
    mkdirSync(work);
    // Step 1 fills the disk once (not when resumed), then prints 200 KB for the database to keep.
    const fill = `if [ ! -e ${work}/filled ]; then touch ${work}/filled; cat /dev/zero > ${data}/filler 2>/dev/null; fi; head -c 200000 /dev/zero | tr '\\0' x`;
    const workflow = {
      name: 'fills the disk',
      workflow: [
        { step: 1, platform: 'shell', inputs: { command: fill }, dependencies: [] },
        { step: 2, platform: 'shell', inputs: { command: `touch ${work}/s2-ran` }, dependencies: [1] },
      ],
    };
    writeFileSync(join(root, 'workflow.json'), JSON.stringify(workflow));
    // The tmpfs lives as long as its namespace: the data folder is copied out once photon has exited.
    const script = 'mount -t tmpfs -o size=8m photon-full "$1/data" && cd "$1/work" && { node "$2" run "$1/workflow.json" --data-dir "$1/data"; code=$?; cp -a "$1/data" "$1/kept"; exit $code; }';
    const env = { ...process.env };
    delete env.PHOTON_DATA_DIR;
    const result = await run('unshare', ['-rm', 'sh', '-c', script, 'sh', root, photonBin], { cwd: work, env });

    const message = `cannot write Photon's history at ${data}/photon.db: database or disk is full; free disk space and resume the run`;
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain(`step 1 failed (${message}; 1 attempt)`);
    expect(result.stdout).toMatch(/run \w+ failed: 0 succeeded, 1 failed, 1 not started of 2 steps/);
    expect(result.stdout).toContain(`  step 1: ${message}`);
    // Said once, as a sentence, never as a stack trace.
    expect(result.stderr.split('\n').filter((line) => line.includes("cannot write Photon's history"))).toEqual([`photon: ${message}`]);
    expect(result.stderr).not.toMatch(/^\s+at |SqliteError|Unhandled/m);
    expect(existsSync(join(work, 's2-ran'))).toBe(false);

    // The database as photon left it, on a disk with room again: a restart finds the run failed, and it resumes.
    const kept = join(root, 'kept');
    rmSync(join(kept, 'filler'));
    cpSync(kept, data, { recursive: true, force: true });
    engine = await startEngine(data);
    const [summary] = await engine.call('runs.list', {});
    const detail = await engine.call('runs.get', { runId: summary!.runId });
    expect(detail.status).toBe('failed');
    expect(detail.steps.map((step) => [step.status, step.error])).toEqual([
      ['failed', message],
      ['pending', null],
    ]);
    const attempts = (await engine.call('runs.timeline', { runId: detail.runId })).attempts;
    expect(attempts.map((attempt) => [attempt.status, attempt.error])).toEqual([['failed', message]]);
    const resumed = await engine.call('runs.resume', { runId: detail.runId });
    expect(await engine.waitForRun(resumed.runId)).toBe('succeeded');
    expect(existsSync(join(work, 's2-ran'))).toBe(true);
  }, 120_000);
});
