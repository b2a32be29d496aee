/**
 * `npx tsx bench/lib/profile-top.ts FILE.cpuprofile [--top 40] [--filter TEXT]`: where a V8 CPU
 * profile's time went, as two tables: self time by function, and inclusive time (the function and
 * all it called, counted once per sample however deep it recurses). `--filter` keeps the functions
 * whose name or file contains TEXT. Not a test.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { timeByFunction, type Profile } from './cpu-profile.js';

// Piped into head: stop quietly once it has read enough.
process.stdout.on('error', () => process.exit(0));
const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '40' }, filter: { type: 'string' } } });
const file = positionals[0];
if (!file) {
  console.error('usage: npx tsx bench/lib/profile-top.ts FILE.cpuprofile [--top 40] [--filter TEXT]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const top = Number(values.top);

let total = 0;
const { self, inclusive } = timeByFunction(profile, (index) => {
  const ms = (profile.timeDeltas[index] ?? 0) / 1000;
  total += ms;
  return ms;
});

const idle = self.get('(idle)') ?? 0;
console.log(`${file}: ${total.toFixed(0)} ms sampled, ${(total - idle).toFixed(0)} ms busy`);
for (const [title, table] of [
  ['self', self],
  ['inclusive', inclusive],
] as const) {
  console.log(`\n${title} time (% of busy):`);
  const rows = [...table]
    .filter(([name]) => name !== '(idle)' && (values.filter === undefined || name.includes(values.filter)))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  for (const [name, ms] of rows) console.log(`${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / Math.max(1, total - idle)).toFixed(1).padStart(5)}%  ${name}`);
}
