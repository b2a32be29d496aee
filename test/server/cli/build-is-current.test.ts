// Whether out/cli is a build of the sources as they are now (scripts/build-cli.js's buildIsCurrent):
// what the test suite's global setup asks before it rebuilds the command line, by the same sizes and
// modification times bin/photon.js compares before it runs the build.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIsCurrent, fingerprint, projectRoot } from '../../../scripts/build-cli.js';

let outDir: string;
const withManifest = (sources: Record<string, string>) => writeFileSync(join(outDir, 'manifest.json'), JSON.stringify({ sources }));
const seen = (file: string) => fingerprint(join(projectRoot, file));

beforeEach(() => {
  outDir = mkdtempSync(join(tmpdir(), 'photon-cli-build-'));
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
    rmSync(join(outDir, 'manifest.json'));
    expect(buildIsCurrent(outDir)).toBe(false);
    expect(buildIsCurrent(join(outDir, 'missing'))).toBe(false);
  });
});
