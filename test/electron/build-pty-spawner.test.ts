/**
 * scripts/build-pty-spawner.js, run by `npm install` (prepare), `npm start` (electron-vite) and the
 * tests: it compiles photon-pty-spawner with the real C compiler, and a machine without one still
 * installs, with one line saying terminals start through node-pty.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSpawner, ensureSpawner, projectRoot } from '../../scripts/build-pty-spawner.js';
import { makeTempDir, removeDir } from '../engine/helpers.js';

describe.runIf(process.platform !== 'win32')('building the pty spawner', () => {
  const dir = makeTempDir('spawner-build');
  afterAll(() => removeDir(dir));

  it('compiles it warning-free, into a program that answers --protocol, and only again when its source changed', () => {
    const binary = join(dir, 'built', 'photon-pty-spawner');
    const built = buildSpawner({ binary });
    expect(built).toEqual({ built: true, current: false, warnings: '' });
    expect(spawnSync(binary, ['--protocol'], { encoding: 'utf8' }).stdout).toBe('2\n');
    expect(buildSpawner({ binary })).toEqual({ built: true, current: true });
    // Older than its source: built again.
    utimesSync(binary, new Date(0), new Date(0));
    expect(buildSpawner({ binary })).toMatchObject({ built: true, current: false });
    // Nothing half-written is left beside it.
    expect(readdirSync(join(dir, 'built'))).toEqual(['photon-pty-spawner']);
  });

  it('rebuilds a program that does not answer --protocol as its sources do, however new it is', () => {
    // out/ copied from another machine (or built from other sources) keeps a newer time than the
    // sources: left in place, the host would start every terminal through node-pty for good.
    const binary = join(dir, 'foreign', 'photon-pty-spawner');
    mkdirSync(join(dir, 'foreign'));
    writeFileSync(binary, '#!/bin/sh\necho 0\n');
    chmodSync(binary, 0o755);
    expect(buildSpawner({ binary })).toMatchObject({ built: true, current: false });
    expect(spawnSync(binary, ['--protocol'], { encoding: 'utf8' }).stdout).toBe('2\n');
  });

  it('says in one line why it could not write the program, and does not throw (npm install goes on)', () => {
    // Its folder cannot be made (a file is in the way): as with no compiler, node-pty starts terminals.
    writeFileSync(join(dir, 'in-the-way'), '');
    const binary = join(dir, 'in-the-way', 'pty-spawner', 'photon-pty-spawner');
    const lines: string[] = [];
    const outcome = ensureSpawner({ binary }, (line) => lines.push(line));
    expect(outcome).toEqual({ built: false, reason: expect.stringMatching(/^cannot write .*in-the-way\/pty-spawner\/photon-pty-spawner: ENOTDIR/) });
    expect(lines).toEqual([expect.stringMatching(/^photon: the pty spawner was not built \(cannot write .*ENOTDIR.*\); terminals will start through node-pty \(slower per process\)$/)]);
  });

  it('takes a compiler given with its own arguments, as CC often is (ccache gcc, gcc -m64)', () => {
    const binary = join(dir, 'with-flags', 'photon-pty-spawner');
    expect(buildSpawner({ binary, compiler: `${process.env.CC || 'cc'} -DPHOTON_CC_WITH_FLAGS` })).toMatchObject({ built: true, current: false });
    expect(spawnSync(binary, ['--protocol'], { encoding: 'utf8' }).stdout).toBe('2\n');
  });

  it('without a C compiler, says so in one line and leaves terminals to node-pty', () => {
    const binary = join(dir, 'none', 'photon-pty-spawner');
    const lines: string[] = [];
    const outcome = ensureSpawner({ binary, compiler: 'photon-no-such-cc' }, (line) => lines.push(line));
    expect(outcome).toEqual({ built: false, reason: 'no C compiler (photon-no-such-cc) was found' });
    expect(lines).toEqual(['photon: the pty spawner was not built (no C compiler (photon-no-such-cc) was found); terminals will start through node-pty (slower per process)']);
    expect(existsSync(binary)).toBe(false);
  });

  it('never fails `npm install` (the prepare script) for want of a compiler', () => {
    // --force tries to compile even where a build is current; the build in place is left as it is.
    const run = spawnSync(process.execPath, ['scripts/build-pty-spawner.js', '--force'], { cwd: projectRoot, encoding: 'utf8', env: { ...process.env, CC: 'photon-no-such-cc' } });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('photon: the pty spawner was not built (no C compiler (photon-no-such-cc) was found); terminals will start through node-pty (slower per process)\n');
  });
});
