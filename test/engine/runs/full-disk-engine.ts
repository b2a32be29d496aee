// Run by full-disk-reserve.test.ts inside a user and mount namespace of its own, with DATA on a small
// tmpfs: one engine that stays up (as the desktop app does) through a disk that fills up, is
// freed and could fill up again. Prints what it saw as JSON.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine } from '../../../electron/engine/index.js';

const [data, work] = process.argv.slice(2) as [string, string];
const reserve = join(data, 'photon.db-reserve');
const engine = await createEngine({ dataDir: data, host: 'cli', killGraceMs: 1000 });
const seen: Record<string, unknown> = { reserveAtStart: existsSync(reserve) };
// Step 1 fills the disk once (not when resumed), then prints 200 KB for the database to keep.
const fill = `if [ ! -e ${work}/filled ]; then touch ${work}/filled; cat /dev/zero > ${data}/filler 2>/dev/null; fi; head -c 200000 /dev/zero | tr '\\0' x`;
const workflow = {
  name: 'fills the disk',
  workflow: [
    { step: 1, platform: 'shell', inputs: { command: fill }, dependencies: [] },
    { step: 2, platform: 'shell', inputs: { command: `touch ${work}/s2-ran` }, dependencies: [1] },
  ],
};
const { runId } = await engine.call('runs.start', { workflow: workflow as never, baseDir: work });
seen.first = await engine.waitForRun(runId);
seen.reserveAfterSettling = existsSync(reserve);
// The user frees space and resumes, as the message says.
rmSync(join(data, 'filler'));
await engine.call('runs.resume', { runId });
seen.reserveAfterResume = existsSync(reserve);
seen.resumed = await engine.waitForRun(runId);
await engine.close();
console.log(JSON.stringify(seen));
