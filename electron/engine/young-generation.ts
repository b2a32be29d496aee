/**
 * The engine's young generation, held at semi-spaces of 4 MB. V8 doubles them (from 1 MB each)
 * whenever more bytes survived its scavenges since the last doubling than they hold, up to 16 MB
 * each; a busy engine always gets there (what survives adds up), and a terminal flood within
 * seconds: about 30 MB of the engine's resident memory (issue 5's goal is under 50 MB of growth
 * during a flood). Under --max-semi-space-size=4 the engine grew 16.9 MB during the flood against
 * 35.4, at 13.2 ms of CPU a MB against 14.8; at 1 MB (V8 never doubling) 35.6 MB at 17.8 ms, its
 * scavenges then promoting what a frame still holds. Figures: the README's Benchmarks.
 *
 * --max-semi-space-size, V8's ceiling, is read once, before any JavaScript runs: it would take a flag
 * on each host's command line (Electron's main process reads --js-flags only from its own), which
 * nothing passes when a user starts the app or the command. The growth factor is read at
 * each doubling, so it is set here, at run time, in every host: 2 (V8's default) below 4 MB, 1 from
 * there. A collection's entry (perf_hooks) says when to look, after the fact: were V8 to double
 * twice before the look (a long stretch of work that never yields), the semi-spaces would stay at 8
 * MB. Hosts that load much before they create the engine (`photon serve`, the daemon, the app)
 * hold the factor at 1 from their start until their first collection after loading.
 *
 * While the factor is 1, V8's flags differ from its defaults, and it refuses code caches made under
 * its defaults (Node's own modules loaded meanwhile compile from source); bin/run-built.js makes
 * the command line's cache under the default factor.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** The semi-space size from which V8 stops doubling. */
export const semiSpaceLimitBytes = 4 * 1024 * 1024;

let factor = 2;
let observer: PerformanceObserver | undefined;

function setFactor(value: 1 | 2): void {
  if (value === factor) return;
  factor = value;
  setFlagsFromString(`--semi-space-growth-factor=${value}`);
}

/** A semi-space's capacity as V8 counts it (its pages less their headers): 3.93 MB at 4 MB. */
function semiSpaceBytes(): number {
  const space = getHeapSpaceStatistics().find((each) => each.space_name === 'new_space');
  return space ? space.space_used_size + space.space_available_size : 0;
}

/** Doubling allowed while the semi-spaces are below the limit (V8 shrinks them when the engine idles). */
function adjust(): void {
  setFactor(semiSpaceBytes() < semiSpaceLimitBytes * 0.75 ? 2 : 1);
}

/**
 * Keeps the young generation at semi-spaces of 4 MB from now on (idempotent). `holdUntilLoaded`:
 * no doubling at all until the first collection this process reports after its current task, for
 * a host about to load the engine.
 */
export function keepYoungGenerationSmall(options: { holdUntilLoaded?: boolean } = {}): void {
  if (options.holdUntilLoaded && observer === undefined) setFactor(1);
  else if (observer === undefined) adjust();
  if (observer !== undefined) return;
  observer = new PerformanceObserver(adjust);
  observer.observe({ entryTypes: ['gc'] });
}
