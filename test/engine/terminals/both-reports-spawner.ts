import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A stand-in for photon-pty-spawner that answers every request with its program's start and end
 * in one write, as the real one does when it gets no processor until its program has ended, and
 * starts nothing: the host's far side is the pty's only one, so its master reads to its end at
 * once. It closes the ptys it inherits, as the spawner does, and answers `--protocol` as it does.
 */
export function bothReportsSpawner(exitCode = 7): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'photon-both-reports-'));
  const script = join(dir, 'spawner.mjs');
  const path = join(dir, 'photon-pty-spawner');
  writeFileSync(
    script,
    `import { closeSync, readdirSync, readlinkSync } from 'node:fs';
if (process.argv[2] === '--protocol') {
  process.stdout.write('2\\n');
  process.exit(0);
}
for (const fd of readdirSync('/proc/self/fd').map(Number)) {
  try {
    if (fd > 2 && /^\\/dev\\/(pts\\/\\d+|ptmx)$/.test(readlinkSync('/proc/self/fd/' + fd))) closeSync(fd);
  } catch {}
}
let pending = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 4 && pending.length - 4 >= pending.readUInt32BE(0)) {
    const id = pending.readUInt32BE(4);
    pending = pending.subarray(4 + pending.readUInt32BE(0));
    const report = (type, a) => { const frame = Buffer.alloc(17); frame.writeUInt32BE(13, 0); frame[4] = type.charCodeAt(0); frame.writeUInt32BE(id, 5); frame.writeInt32BE(a, 9); return frame; };
    process.stdout.write(Buffer.concat([report('S', process.pid), report('X', ${exitCode})]));
  }
});
`,
  );
  writeFileSync(path, `#!/bin/sh\nexec '${process.execPath}' '${script}' "$@"\n`);
  chmodSync(path, 0o755);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
