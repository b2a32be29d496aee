/**
 * One way to write a size, wherever Photon shows one: the dashboard's memory, the Workspaces page
 * and `photon workspaces` (whose listing is checked against this function in
 * test/server/cli/workspaces.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../shared/byte-text.js';

describe('formatBytes', () => {
  it('counts in 1024s, as process monitors and du -h do, labelled B, KB, MB, GB, TB', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.00 KB');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(20 * 1024)).toBe('20.0 KB');
    expect(formatBytes(4_200_000)).toBe('4.01 MB');
    expect(formatBytes(123_000_000)).toBe('117 MB');
    expect(formatBytes(1_300_000_000)).toBe('1.21 GB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3.00 TB');
    expect(formatBytes(2048 * 1024 ** 4)).toBe('2048 TB');
  });

  it('says "—" for a size not known or not a size', () => {
    for (const bytes of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY, -1]) expect(formatBytes(bytes)).toBe('—');
  });
});
