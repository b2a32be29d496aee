// Builds photon-pty-spawner, the small C program the pty host starts terminals through
// (electron/engine/terminals/pty-spawner/), into out/pty-spawner/. `npm install` runs it (the
// `prepare` script); `npm start`, `npm run dev` and the tests run it again when the source is newer
// than the build.
//
//   node scripts/build-pty-spawner.js [--force]
//
// Without a C compiler (or on Windows) it says so in one line and exits 0: terminals then start
// through node-pty's own spawn, which works everywhere and costs more per process.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Its C sources: every .c there is compiled, and a newer .c or .h makes the build stale. */
export const spawnerSourceDir = join(projectRoot, 'electron', 'engine', 'terminals', 'pty-spawner');
/** Where the engine looks for it (electron/engine/terminals/pty-host.ts, ptySpawnerPath). */
export const spawnerBinary = join(projectRoot, 'out', 'pty-spawner', 'photon-pty-spawner');

function sourcesIn(sourceDir) {
  return readdirSync(sourceDir)
    .filter((name) => /\.[ch]$/.test(name))
    .sort()
    .map((name) => join(sourceDir, name));
}

/** The protocol version the sources speak (pty-spawner.c's protocol_version), as `--protocol` prints it. */
function sourceProtocol(sourceDir) {
  return /\bprotocol_version = (\d+)/.exec(readFileSync(join(sourceDir, 'pty-spawner.c'), 'utf8'))?.[1];
}

/**
 * Whether the build is missing, older than one of its sources, or does not run here as a build of
 * them: an out/ folder copied from another machine, or built from other sources, can be newer than
 * the sources, and the host would then start every terminal through node-pty for good.
 */
export function spawnerIsStale(sourceDir = spawnerSourceDir, binary = spawnerBinary) {
  if (!existsSync(binary)) return true;
  const builtAt = statSync(binary).mtimeMs;
  if (sourcesIn(sourceDir).some((source) => statSync(source).mtimeMs > builtAt)) return true;
  const answer = spawnSync(binary, ['--protocol'], { encoding: 'utf8', timeout: 10_000 });
  return answer.error !== undefined || answer.status !== 0 || answer.stdout.trim() !== sourceProtocol(sourceDir);
}

/**
 * Compiles the sources into `binary` (through a temporary file, so a running host never finds half a
 * program). Returns { built: true } or { built: false, reason } when it could not, never throws for
 * a missing compiler: the engine then uses node-pty.
 */
export function buildSpawner({ sourceDir = spawnerSourceDir, binary = spawnerBinary, compiler = process.env.CC || 'cc', force = false } = {}) {
  if (process.platform === 'win32') return { built: false, reason: 'Windows starts terminals through node-pty (ConPTY)' };
  if (!force && !spawnerIsStale(sourceDir, binary)) return { built: true, current: true };
  const staging = `${binary}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(binary), { recursive: true });
    const sources = sourcesIn(sourceDir).filter((source) => source.endsWith('.c'));
    // CC is a command line as make reads it ("ccache gcc", "gcc -m64"), not the name of one program.
    const [command, ...flags] = compiler.trim().split(/\s+/);
    const result = spawnSync(command, [...flags, '-O2', '-Wall', '-Wextra', '-o', staging, ...sources], { encoding: 'utf8' });
    if (result.error || result.status !== 0) {
      rmSync(staging, { force: true });
      const why = result.error?.code === 'ENOENT' ? `no C compiler (${compiler}) was found` : `${compiler} failed: ${(result.error?.message ?? result.stderr).trim().split('\n')[0]}`;
      return { built: false, reason: why };
    }
    chmodSync(staging, 0o755);
    renameSync(staging, binary);
    return { built: true, current: false, warnings: result.stderr.trim() };
  } catch (error) {
    // A folder that cannot be written (read-only checkout, a file in the way) must not fail `npm install`.
    try {
      rmSync(staging, { force: true });
    } catch {
      // Its folder is the problem: nothing was written there.
    }
    return { built: false, reason: `cannot write ${binary}: ${error.message}` };
  }
}

/** Builds when stale and says in one line what happened (nothing when the build was current). */
export function ensureSpawner(options = {}, log = (line) => process.stderr.write(`${line}\n`)) {
  const outcome = buildSpawner(options);
  if (!outcome.built) log(`photon: the pty spawner was not built (${outcome.reason}); terminals will start through node-pty (slower per process)`);
  else if (!outcome.current) log(`photon: built the pty spawner into ${relative(process.cwd(), options.binary ?? spawnerBinary)}`);
  if (outcome.warnings) log(outcome.warnings);
  return outcome;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureSpawner({ force: process.argv.includes('--force') });
}
