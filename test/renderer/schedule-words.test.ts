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

  it('give a webhook this server\'s URL, or the daemon\'s default address in the desktop app', () => {
    expect(webhookUrl('/api/v1/hooks/abc', { protocol: 'http:', origin: 'http://127.0.0.1:7999' })).toEqual({ url: 'http://127.0.0.1:7999/api/v1/hooks/abc', assumed: false });
    expect(webhookUrl('/api/v1/hooks/abc', { protocol: 'app:', origin: 'app://photon' })).toEqual({ url: 'http://127.0.0.1:7420/api/v1/hooks/abc', assumed: true });
  });
});
