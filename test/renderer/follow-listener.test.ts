import { describe, expect, it } from 'vitest';
import { followUrl } from '../../renderer/settings/follow-listener.js';

describe('following the remote listener after a save moved it', () => {
  const moved = { from: ['https://192.168.1.20:7443/', 'https://10.0.0.5:7443/'], to: ['https://192.168.1.20:8443/', 'https://10.0.0.5:8443/'] };

  it('opens the same page on the new port at the host the page was opened with', () => {
    expect(followUrl(moved, new URL('https://10.0.0.5:7443/#/settings'))).toBe('https://10.0.0.5:8443/#/settings');
    expect(followUrl(moved, new URL('https://192.168.1.20:7443/?x=1#/settings'))).toBe('https://192.168.1.20:8443/?x=1#/settings');
  });

  it('goes to the first new address when the one the page used is no longer served', () => {
    expect(followUrl({ from: ['https://192.168.1.20:7443/'], to: ['https://127.0.0.1:9000/'] }, new URL('https://192.168.1.20:7443/#/settings'))).toBe('https://127.0.0.1:9000/#/settings');
  });

  it('stays where it is when it was not served by the listener that moved, nothing moved, or access was turned off', () => {
    expect(followUrl(moved, new URL('http://127.0.0.1:5123/#/settings'))).toBeUndefined();
    expect(followUrl(undefined, new URL('https://10.0.0.5:7443/'))).toBeUndefined();
    expect(followUrl({ from: moved.from, to: [] }, new URL('https://10.0.0.5:7443/'))).toBeUndefined();
  });
});
