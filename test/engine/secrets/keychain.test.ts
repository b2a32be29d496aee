import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeychain } from '../../../electron/engine/secrets/index.js';
import { bundled } from '../../fixtures/bundled.js';

// scripts/run-tests.js (npm test) starts a private D-Bus session with an unlocked gnome-keyring
// and sets PHOTON_REQUIRE_KEYCHAIN; anywhere else these tests would reach the user's own keychain.
const keychainReady = process.env.PHOTON_REQUIRE_KEYCHAIN === '1';

describe.skipIf(!keychainReady)('the OS keychain through keytar (a real Secret Service: runs inside the private keyring that npm test starts)', () => {
  const keychain = createKeychain(`Photon-test-${randomUUID()}`);

  afterAll(async () => {
    for (const name of await keychain.names()) await keychain.delete(name);
  });

  it('stores, lists by name, reads inside the engine and deletes a secret', async () => {
    await keychain.set('ANTHROPIC_API_KEY', 'sk-ant-test-value-123');
    await keychain.set('OPENAI_API_KEY', 'sk-openai-test-456');
    expect(await keychain.names()).toEqual(['ANTHROPIC_API_KEY', 'OPENAI_API_KEY']);
    expect(await keychain.get('ANTHROPIC_API_KEY')).toBe('sk-ant-test-value-123');
    expect(await keychain.delete('ANTHROPIC_API_KEY')).toBe(true);
    expect(await keychain.names()).toEqual(['OPENAI_API_KEY']);
    expect(await keychain.get('ANTHROPIC_API_KEY')).toBeNull();
  });

  it('replaces a value when set again', async () => {
    await keychain.set('GEMINI_API_KEY', 'first-value');
    await keychain.set('GEMINI_API_KEY', 'second-value');
    expect(await keychain.get('GEMINI_API_KEY')).toBe('second-value');
  });
});

describe('without a Secret Service', () => {
  it('fails with a message that says what to install or start, and stores nothing anywhere else', async () => {
    const keychain = createKeychain('Photon-test', () => {
      throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
    });
    await expect(keychain.set('ANTHROPIC_API_KEY', 'value')).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(process.platform === 'linux' ? /gnome-keyring/ : /keychain/),
    });
  });

  it('reports a real keytar failure the same way when no D-Bus session exists', async () => {
    // A separate process: libsecret keeps its first D-Bus connection for the life of a process.
    const script = `
      import { createKeychain } from ${JSON.stringify(pathToFileURL(await bundled('electron/engine/secrets/index.ts')).href)};
      try { await createKeychain('Photon-test-nobus').set('X_API_KEY', 'value'); console.log('stored'); }
      catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/photon-test-bus', DISPLAY: '' },
      encoding: 'utf8',
    });
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as { code: string; message: string };
    expect(result.code).toBe('unavailable');
    expect(result.message).toMatch(/never stores secrets in plain text/);
  });
});
