import { describe, expect, it } from 'vitest';
import { elapsedMs, formatDuration } from '../../renderer/lib/format.js';
import { parseRoute, routeHref, sameRoute } from '../../renderer/lib/route.js';
import { RunOutputFeed } from '../../renderer/lib/run-output-feed.js';
import { statusIcon, statusLabel } from '../../renderer/lib/status.js';
import { terminalToText } from '../../renderer/lib/terminal-text.js';
import { runStatuses, stepStatuses } from '../../shared/runs.js';

describe('routes', () => {
  it('reads and writes #/workflows/ID and #/runs/ID, anything else is home', () => {
    expect(parseRoute('#/workflows/abc')).toEqual({ view: 'workflow', id: 'abc' });
    expect(parseRoute('#/runs/r%2F1')).toEqual({ view: 'run', id: 'r/1' });
    expect(parseRoute('')).toEqual({ view: 'home' });
    expect(parseRoute('#/elsewhere/1')).toEqual({ view: 'home' });
    expect(parseRoute('#/runs/%E0%A4%A')).toEqual({ view: 'home' });
    expect(routeHref({ view: 'run', id: 'r/1' })).toBe('#/runs/r%2F1');
    expect(parseRoute(routeHref({ view: 'workflow', id: 'x y' }))).toEqual({ view: 'workflow', id: 'x y' });
    expect(sameRoute({ view: 'home' }, parseRoute('#/'))).toBe(true);
    expect(sameRoute({ view: 'run', id: 'a' }, { view: 'run', id: 'b' })).toBe(false);
  });

  it('reads and writes #/approvals, the inbox a notification opens', () => {
    expect(parseRoute('#/approvals')).toEqual({ view: 'approvals' });
    expect(routeHref({ view: 'approvals' })).toBe('#/approvals');
    expect(parseRoute('#/sessions/s%2F1')).toEqual({ view: 'session', id: 's/1' });
    expect(routeHref({ view: 'session', id: 's/1' })).toBe('#/sessions/s%2F1');
  });
});

describe('statuses', () => {
  it('gives every status a word and a symbol', () => {
    for (const status of [...stepStatuses, ...runStatuses]) {
      expect(statusLabel(status)).toMatch(/^[A-Z]/);
      expect(statusIcon(status)).not.toBe('');
    }
    expect(statusLabel('timed_out')).toBe('Timed out');
  });
});

describe('durations', () => {
  it('formats short and long spans', () => {
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatDuration(-1)).toBe('—');
  });

  it('measures to now while there is no end', () => {
    const start = '2026-01-01T00:00:00.000Z';
    expect(elapsedMs(start, '2026-01-01T00:00:02.500Z', 0)).toBe(2500);
    expect(elapsedMs(start, null, Date.parse(start) + 1000)).toBe(1000);
    expect(elapsedMs(null, null, 5)).toBeNull();
  });
});

describe('terminal text', () => {
  it('drops escape codes and keeps what follows a carriage return', () => {
    expect(terminalToText('\u001b[32mok\u001b[0m\r\n')).toBe('ok\n');
    expect(terminalToText('progress 10%\rprogress 100%\ndone')).toBe('progress 100%\ndone');
    expect(terminalToText('line\r')).toBe('line');
  });
});

describe('the live output feed', () => {
  it('appends live output per step, bounded, and tells subscribers', () => {
    const feed = new RunOutputFeed(10);
    let calls = 0;
    feed.subscribe(1, () => calls++);
    feed.append(1, 1, 'hello ');
    feed.append(1, 1, 'world!');
    feed.append(2, 1, 'other');
    expect(feed.text(1)).toBe('llo world!');
    expect(feed.text(2)).toBe('other');
    expect(calls).toBe(2);
  });

  it('marks a new attempt with a divider', () => {
    const feed = new RunOutputFeed();
    feed.append(1, 1, 'first try failed');
    feed.append(1, 2, 'second try');
    expect(feed.text(1)).toBe('first try failed\n── attempt 2 ──\nsecond try');
  });

  it('fills from storage only where live output is missing or has a gap', () => {
    const feed = new RunOutputFeed();
    expect(feed.needsSeed(1)).toBe(true);
    feed.seed(1, 'stored');
    expect(feed.text(1)).toBe('stored');
    feed.append(1, 1, 'live');
    expect(feed.text(1)).toBe('live');
    expect(feed.needsSeed(1)).toBe(false);
    feed.seed(1, 'stored again');
    expect(feed.text(1)).toBe('live');

    feed.markGap();
    expect(feed.text(1)).toContain('[connection lost');
    expect(feed.needsSeed(1)).toBe(true);
    feed.seed(1, 'complete stored output');
    expect(feed.text(1)).toBe('complete stored output');
  });
});
