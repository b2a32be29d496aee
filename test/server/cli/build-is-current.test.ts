// Whether out/cli is a build of the sources as they are now (scripts/build-cli.js's buildIsCurrent):
// what the test suite's global setup asks before it rebuilds the command line, and bin/photon.js
// before it runs the build (both through bin/build-current.js).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIsCurrent, fingerprint, projectRoot } from '../../../scripts/build-cli.js';

const buildCurrent = createRequire(import.meta.url)('../../../bin/build-current.js') as {
  buildIsCurrent(root: string, built: string): boolean;
  fingerprint(root: string, pathFromRoot: string): string;
};

let outDir: string;
const withManifest = (sources: Record<string, string>) => writeFileSync(join(outDir, 'manifest.json'), JSON.stringify({ sources }));
const seen = (file: string) => fingerprint(join(projectRoot, file));

beforeEach(() => {
  outDir = mkdtempSync(join(tmpdir(), 'photon-cli-build-'));
  writeFileSync(join(outDir, 'main.cjs'), '');
});
afterEach(() => rmSync(outDir, { recursive: true, force: true }));

describe('buildIsCurrent', () => {
  it('is true while every source listed is as the build recorded it, a bundled package included', () => {
    withManifest({ 'scripts/build-cli.js': seen('scripts/build-cli.js'), 'node_modules/zod/package.json': seen('node_modules/zod/package.json') });
    expect(buildIsCurrent(outDir)).toBe(true);
  });

  it('is false once a source differs in size or time', () => {
    const [size, time] = seen('scripts/build-cli.js').split(':').map(Number);
    withManifest({ 'scripts/build-cli.js': `${size! + 1}:${time}` });
    expect(buildIsCurrent(outDir)).toBe(false);
    withManifest({ 'scripts/build-cli.js': `${size}:${time! - 1000}` });
    expect(buildIsCurrent(outDir)).toBe(false);
  });

  it('is false when a source is gone, or there is no build', () => {
    withManifest({ 'scripts/build-cli.js': seen('scripts/build-cli.js'), 'shared/gone.ts': '1:1' });
    expect(buildIsCurrent(outDir)).toBe(false);
    withManifest({ 'scripts/build-cli.js': seen('scripts/build-cli.js') });
    rmSync(join(outDir, 'main.cjs'));
    expect(buildIsCurrent(outDir)).toBe(false);
    rmSync(join(outDir, 'manifest.json'));
    expect(buildIsCurrent(outDir)).toBe(false);
    expect(buildIsCurrent(join(outDir, 'missing'))).toBe(false);
  });

  it("tells a project's own sources by their modification time even when the project sits inside a node_modules folder", () => {
    // As when Photon is installed as another project's dependency: a change of inode (chmod) is no edit.
    const root = join(outDir, 'node_modules', 'photon');
    const built = join(root, 'out', 'cli');
    mkdirSync(join(root, 'shared'), { recursive: true });
    mkdirSync(built, { recursive: true });
    writeFileSync(join(root, 'shared', 'a.ts'), 'export {};\n');
    writeFileSync(join(built, 'main.cjs'), '');
    writeFileSync(join(built, 'manifest.json'), JSON.stringify({ sources: { 'shared/a.ts': buildCurrent.fingerprint(root, 'shared/a.ts') } }));
    chmodSync(join(root, 'shared', 'a.ts'), 0o600);
    expect(buildCurrent.buildIsCurrent(root, built)).toBe(true);
    writeFileSync(join(root, 'shared', 'a.ts'), 'export const edited = 1;\n');
    expect(buildCurrent.buildIsCurrent(root, built)).toBe(false);
  });
});
