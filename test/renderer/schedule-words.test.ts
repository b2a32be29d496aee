import { describe, expect, it } from 'vitest';
import { nextFireText, webhookUrl } from '../../renderer/schedules/schedule-words.js';

describe('schedule words', () => {
  const now = Date.parse('2026-03-02T10:00:00Z');

  it('say when a schedule fires next, or that it will not', () => {
    expect(nextFireText('2026-03-02T15:00:00.000Z', true, now)).toMatch(/ \(in 5 h\)$/);
    expect(nextFireText('2026-03-02T10:20:00.000Z', true, now)).toMatch(/ \(in 20 min\)$/);
    expect(nextFireText('2026-03-09T10:00:00.000Z', true, now)).toMatch(/ \(in 7 days\)$/);
    expect(nextFireText('2026-03-02T15:00:00.000Z', false, now)).toBe('Off');
    expect(nextFireText(null, true, now)).toBe('Never fires again');
  });

  it("give a webhook the URL of the server this page came from, or in the desktop app the engine's server's", () => {
    expect(webhookUrl('/api/v1/hooks/abc', { protocol: 'http:', origin: 'http://127.0.0.1:7999' }, 'http://127.0.0.1:7420')).toBe('http://127.0.0.1:7999/api/v1/hooks/abc');
    // The desktop app implies no server: the address the engine's (the daemon's) server listens on, whatever its port.
    expect(webhookUrl('/api/v1/hooks/abc', { protocol: 'app:', origin: 'app://photon' }, 'http://127.0.0.1:43117')).toBe('http://127.0.0.1:43117/api/v1/hooks/abc');
    // None listens: no URL is made up.
    expect(webhookUrl('/api/v1/hooks/abc', { protocol: 'app:', origin: 'app://photon' }, null)).toBeNull();
  });
});
