// `node bench/lib/run-built-cli.mjs OUT_DIR ARGS...`: the `photon` command from the build in
// OUT_DIR (scripts/build-cli.js's buildCli(OUT_DIR)), whatever the sources are now. bin/photon.js
// falls back to the sources through tsx as soon as any source changes, which on a checkout others
// edit would time tsx; this runs exactly the build asked for, so two builds can be compared. A
// build from before main.cjs (an ES module main.js, without the code cache) runs as it did.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [outDir, ...args] = process.argv.slice(2);
if (existsSync(resolve(outDir, 'main.cjs'))) {
  const { runBuilt } = await import('../../bin/run-built.js');
  process.exitCode = await runBuilt(resolve(outDir), args);
} else {
  const { main } = await import(pathToFileURL(resolve(outDir, 'main.js')).href);
  process.exitCode = await main(args);
}
setTimeout(() => process.exit(), 2000).unref();
