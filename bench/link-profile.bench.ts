/**
 * `npx tsx bench/link-profile.bench.ts [--chain 1000] [--top 30] [--interval 50] [--photon DIR]`:
 * where the engine's part of a chain's link goes, function by function. Runs `photon run` of a
 * chain of `true` steps under V8's CPU profiler (bench/lib/link-profile-engine.mjs, preloaded),
 * which also notes when each exit frame came from the pty host and each spawn frame went to it,
 * and sums, per link, the profile's samples from a step's exit to the next step's spawn request:
 * the engine's side of a link's latency (chain-link.bench.ts times the segment; this says what is
 * in it). Printed: the window's median and mean, the time in it with nothing running (`(idle)`:
 * a timer or a hand-over to another thread between the exit and the next spawn), then the busy
 * time by function, self and inclusive, in microseconds a link. A sample's time is wall time: a
 * thread that loses its processor mid-function is counted in that function, so figures on a
 * loaded machine run high. Not a test; Linux (the host in C).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { timeByFunction, type Profile } from './lib/cpu-profile.js';
import { chainDag, toWorkflow } from './lib/layered-dag.js';
import { median } from './lib/measure.js';

const { values } = parseArgs({
  options: {
    chain: { type: 'string', default: '1000' },
    top: { type: 'string', default: '30' },
    interval: { type: 'string', default: '50' },
    photon: { type: 'string' },
  },
});
const repo = fileURLToPath(new URL('../', import.meta.url));
const tree = resolve(values.photon ?? repo);
const links = Number(values.chain);
const top = Number(values.top);
const work = mkdtempSync(join(tmpdir(), 'photon-link-profile-'));

try {
  const chainFile = join(work, 'chain.json');
  writeFileSync(chainFile, JSON.stringify(toWorkflow(chainDag(links), 'true')));
  const env = { ...process.env, PHOTON_LINK_PROFILE_DIR: work, PHOTON_LINK_PROFILE_INTERVAL_US: values.interval };
  const loadBefore = loadavg()[0]!.toFixed(2);
  const run = spawnSync(process.execPath, ['--import', join(repo, 'bench', 'lib', 'link-profile-engine.mjs'), join(tree, 'bin', 'photon.js'), 'run', chainFile, '--data-dir', join(work, 'data')], { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (run.status !== 0) throw new Error(`photon run exited with ${run.status}: ${String(run.stderr).slice(-2000)}`);
  const file = readdirSync(work).find((name) => name.startsWith('engine-'));
  if (!file) throw new Error('the engine wrote no profile');
  const { events, profile } = JSON.parse(readFileSync(join(work, file), 'utf8')) as { events: [string, number][]; profile: Profile };

  // Each exit and the first spawn request after it: the engine's side of one link.
  const spawns = events.filter(([name]) => name === 'spawn').map(([, at]) => at);
  const windows: [number, number][] = [];
  for (const [name, at] of events) {
    if (name !== 'exit') continue;
    const next = spawns.find((spawn) => spawn > at);
    if (next !== undefined) windows.push([at, next]);
  }
  if (windows.length === 0) throw new Error('no link seen (is the host in C built? node scripts/build-pty-spawner.js)');

  let window = 0;
  const { self, inclusive } = timeByFunction(profile, (index, time) => {
    while (window < windows.length && windows[window]![1] < time) window++;
    if (window === windows.length || time < windows[window]![0]) return 0;
    // A sample stands for the time until the next one.
    return profile.timeDeltas[index + 1] ?? 0;
  });

  const spans = windows.map(([from, to]) => to - from);
  const perLink = (us: number) => (us / windows.length).toFixed(1).padStart(8);
  const mean = spans.reduce((sum, span) => sum + span, 0) / spans.length;
  console.log(`a chain of ${links} \`true\` steps (${tree}), load ${loadBefore} before, ${loadavg()[0]!.toFixed(2)} after; sampled every ${values.interval} us`);
  console.log(`exit frame read -> next spawn frame written: median ${median(spans).toFixed(0)} us, mean ${mean.toFixed(0)} us over ${windows.length} links`);
  console.log(`of it with nothing running (idle): ${perLink(self.get('(idle)') ?? 0)} us a link`);
  for (const [title, table] of [
    ['self', self],
    ['inclusive', inclusive],
  ] as const) {
    console.log(`\n${title}, us a link:`);
    const rows = [...table].filter(([name]) => name !== '(idle)' && name !== '(root)').sort((a, b) => b[1] - a[1]).slice(0, top);
    for (const [name, us] of rows) console.log(`${perLink(us)}  ${name}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
