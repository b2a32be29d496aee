/** The token file: created private, reused across restarts, tightened or replaced when it is not right. */
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateToken, tokenFilePath } from '../../../electron/server/web/token-store.js';
import { makeTempDir } from './helpers.js';

const posix = process.platform !== 'win32';
let root: string;
let dataDir: string;

beforeEach(() => {
  root = makeTempDir('token');
  dataDir = join(root, 'data');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('loadOrCreateToken', () => {
  it('creates 32 random bytes as hex in DATA_DIR/server-token with mode 0600', () => {
    const token = loadOrCreateToken(dataDir);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const file = tokenFilePath(dataDir);
    expect(file).toBe(join(dataDir, 'server-token'));
    expect(readFileSync(file, 'utf8').trim()).toBe(token);
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('creates the data folder private when it does not exist yet', () => {
    loadOrCreateToken(dataDir);
    if (posix) expect(statSync(dataDir).mode & 0o077).toBe(0);
  });

  it('keeps the token across restarts', () => {
    const first = loadOrCreateToken(dataDir);
    expect(loadOrCreateToken(dataDir)).toBe(first);
  });

  it('gives every data folder its own token', () => {
    expect(loadOrCreateToken(dataDir)).not.toBe(loadOrCreateToken(join(root, 'other')));
  });

  it.runIf(posix)('tightens a file that others could read, keeping its token', () => {
    const first = loadOrCreateToken(dataDir);
    chmodSync(tokenFilePath(dataDir), 0o644);
    expect(loadOrCreateToken(dataDir)).toBe(first);
    expect(statSync(tokenFilePath(dataDir)).mode & 0o777).toBe(0o600);
  });

  it('replaces a file that holds no token with a new private one', () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(tokenFilePath(dataDir), 'guessable\n', { mode: 0o644 });
    const token = loadOrCreateToken(dataDir);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(tokenFilePath(dataDir), 'utf8').trim()).toBe(token);
    if (posix) expect(statSync(tokenFilePath(dataDir)).mode & 0o777).toBe(0o600);
  });

  it.runIf(posix)('refuses a symbolic link in place of the file rather than follow it', () => {
    mkdirSync(dataDir, { recursive: true });
    const elsewhere = join(root, 'elsewhere');
    writeFileSync(elsewhere, `${'a'.repeat(64)}\n`, { mode: 0o644 });
    symlinkSync(elsewhere, tokenFilePath(dataDir));
    expect(() => loadOrCreateToken(dataDir)).toThrow(/symbolic link/);
    expect(statSync(elsewhere).mode & 0o777).toBe(0o644);
  });
});
