/**
 * The macOS profile, checked as text (sandbox-exec runs only on macOS): in Seatbelt the last
 * matching rule decides, so what matters is which rules exist and their order.
 */
import { describe, expect, it } from 'vitest';
import { seatbeltProfile } from '../../../electron/engine/sandbox/index.js';
import type { FencePlan } from '../../../electron/engine/sandbox/index.js';

const home = '/Users/ann';
const worktree = '/Users/ann/Library/Application Support/Photon/worktrees/r1/step-1';
const plan: FencePlan = {
  network: false,
  cwd: worktree,
  home,
  privateHome: '/unused',
  writable: [worktree, '/Users/ann/Library/Application Support/Photon/runs/r1/step-1/attempt-1.tmp', '/Users/ann/.claude', '/Users/ann/odd "quoted" \\ folder'],
  readable: ['/Users/ann/.nvm/versions/node/v22/bin', '/Users/ann/code/app/.git'],
  hidden: [home, '/Users/ann/Library/Application Support/Photon'],
  scratch: ['/private/tmp'],
  secrets: ['/Users/ann/.ssh'],
  unsetEnv: [],
  writableShown: [],
};

/** The profile's rules, one a line, and where the first rule containing `text` stands. */
function positionOf(profile: string, text: string): number {
  const index = profile.split('\n').findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`no rule contains ${text}:\n${profile}`);
  return index;
}

describe('the sandbox-exec profile', () => {
  const profile = seatbeltProfile(plan);

  it('denies writes everywhere, then allows them in the worktree, the temp folders and the tool state only', () => {
    expect(profile.startsWith('(version 1)\n(allow default)\n(deny file-write*)\n')).toBe(true);
    const allowWrites = positionOf(profile, '(allow file-read* file-write* (subpath "/Users/ann/Library/Application Support/Photon/worktrees/r1/step-1")');
    expect(allowWrites).toBeGreaterThan(positionOf(profile, '(deny file-write*)'));
    expect(profile).toContain('(subpath "/private/tmp")');
    expect(profile).toContain('(subpath "/Users/ann/.claude")');
    expect(profile).toContain('(allow file-write* (literal "/dev/null")');
  });

  it('hides the home and Photon data from reads, showing again only what the step needs', () => {
    const deny = positionOf(profile, '(deny file-read* (subpath "/Users/ann") (subpath "/Users/ann/Library/Application Support/Photon"))');
    expect(positionOf(profile, '(allow file-read* (subpath "/Users/ann/.nvm/versions/node/v22/bin") (subpath "/Users/ann/code/app/.git"))')).toBeGreaterThan(deny);
    expect(profile).toContain('(literal "/Users/ann/.gitconfig")');
    // Claude Code renames a fresh copy over its state file: the pattern covers the copy, dots escaped.
    expect(profile).toContain('(allow file-read* file-write* (regex "^/Users/ann/\\\\.claude\\\\.json"))');
  });

  it('denies secrets and the keychain after every allow, so no folder shown can reveal them', () => {
    const lastAllow = Math.max(...profile.split('\n').map((line, index) => (line.startsWith('(allow') ? index : -1)));
    expect(positionOf(profile, '(deny file-read* file-write* (subpath "/Users/ann/.ssh"))')).toBeGreaterThan(lastAllow);
    expect(positionOf(profile, '(subpath "/Users/ann/Library/Keychains")')).toBeGreaterThan(lastAllow);
    expect(profile).toMatch(/\(deny mach-lookup .*\(global-name "com\.apple\.SecurityServer"\)/);
  });

  it('turns the network off unless the step allows it', () => {
    expect(profile.trimEnd().endsWith('(deny network*)')).toBe(true);
    expect(seatbeltProfile({ ...plan, network: true })).not.toContain('network');
  });

  it('escapes quotes and backslashes in paths, and its parentheses balance outside strings', () => {
    expect(profile).toContain('(subpath "/Users/ann/odd \\"quoted\\" \\\\ folder")');
    let depth = 0;
    let inString = false;
    for (let i = 0; i < profile.length; i++) {
      const char = profile[i];
      if (inString) {
        if (char === '\\') i++;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === '(') depth++;
      else if (char === ')') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect({ depth, inString }).toEqual({ depth: 0, inString: false });
  });
});
