import type { ChildProcess } from 'node:child_process';
import { isAscii, isUtf8 } from 'node:buffer';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchPtyHost, ptyHostArgs, takePrelaunchedPtyHost } from './pty-host-launch.js';

/**
 * The engine's side of the pty host: one small process per engine process that owns every
 * pseudo-terminal, so that no fork copies the engine's pages (about 4 ms of the engine's main
 * thread per process started, bench/dag.bench.ts). Where photon-pty-spawner is built the host is
 * that C program itself (`--host`, pty-spawner/pty-spawner-host.c), which vforks each program;
 * elsewhere a Node process (pty-host-main.js) with node-pty. Both speak the same protocol. Killing
 * stays here: process groups and marked processes are signalled by the engine directly.
 *
 * Frames as pty-spawner-host.c documents them: [length u32 BE][type u8][terminal id u32 BE][payload],
 * payloads of integers and NUL-terminated strings (no JSON, which C would have to parse).
 */
const toHost = { spawn: 1, write: 2, resize: 3, pause: 4, resume: 5, environment: 6 } as const;
const toEngine = { spawned: 1, data: 2, exit: 3, failed: 4 } as const;
/** [length u32][type u8][terminal id u32]. */
const frameHeadBytes = 9;

const hostScript = fileURLToPath(new URL('./pty-host-main.js', import.meta.url));

/**
 * photon-pty-spawner as scripts/build-pty-spawner.js builds it (out/pty-spawner/), for the host to
 * start terminals through (pty-spawner-client.js); undefined leaves them to node-pty. From the
 * sources, and from the CLI's bundle (whose URLs are the sources'), it is three folders up; from
 * the app's bundle (out/main) one; a packaged app has it in app.asar.unpacked (electron-builder.yml).
 * PHOTON_PTY_SPAWNER=node-pty starts them through node-pty even where the spawner is built;
 * PHOTON_PTY_SPAWNER=/absolute/path uses that build.
 */
export function ptySpawnerPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (process.platform === 'win32' || env.PHOTON_PTY_SPAWNER === 'node-pty') return undefined;
  if (env.PHOTON_PTY_SPAWNER?.startsWith('/')) return existsSync(env.PHOTON_PTY_SPAWNER) ? env.PHOTON_PTY_SPAWNER : undefined;
  for (const relative of ['../../../out/pty-spawner/photon-pty-spawner', '../pty-spawner/photon-pty-spawner']) {
    const path = fileURLToPath(new URL(relative, import.meta.url)).replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked');
    if (existsSync(path)) return path;
  }
  return undefined;
}

export interface PtyRequest {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
  /** Made (mode 0700, with their parents) right before the process starts; one that cannot be made fails the start, naming it. */
  folders?: string[];
}

/** A spawn's environment as it goes to the host: what it changes in the environment the host holds. */
export interface EnvironmentChanges {
  set: Record<string, string>;
  unset: string[];
}

/** A base environment a spawn changes in more places than this (and than a quarter of its variables) is replaced by the spawn's. */
const minChangesKept = 16;

/** What the host reports about one terminal. */
export interface HostedTerminal {
  spawned(pid: number): void;
  /** `bytes`, when given, is the UTF-8 of `text` exactly as the pty gave it (a view on one read from the host's pipe, a buffer Node makes for that read and never reuses: a batch may hold it, and so keeps the whole read alive until it is sent). */
  data(text: string, bytes?: Uint8Array): void;
  exited(exitCode: number, signal: number): void;
  /** It could not be started, or the host was lost with it: never followed by `exited`. */
  failed(message: string): void;
}

class PtyHost {
  private child: ChildProcess | undefined;
  private readonly terminals = new Map<number, HostedTerminal>();
  private nextId = 1;
  /** The head of the next frame as far as it has come, and the frame being read. */
  private readonly head = Buffer.alloc(frameHeadBytes);
  private headBytes = 0;
  private frame: { type: number; id: number; left: number; parts: Buffer[] } | undefined;
  /** Per terminal, the start of a character its last piece of output cut off (1 to 3 bytes), prepended to the next. */
  private readonly cutCharacters = new Map<number, Buffer>();
  /**
   * What was sent to a host in C that has not said anything yet: should it turn out to be a build
   * of older sources, which does not know `--host` (it exits at once, saying how it is run), the
   * Node host is started in its place and given the same frames, so no terminal is lost to it.
   */
  private unheard: Buffer[] | undefined;
  /** The spawner did not serve as the host: the Node host serves this process from then on. */
  private spawnerCannotHost = false;
  /** The environment the host holds, which each spawn's is sent as changes to (environmentChanges). */
  private baseEnvironment: Record<string, string> | undefined;

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Starts the host before its first terminal: its start (a Node process, about 70 ms here) then
   * overlaps whatever the engine does first, rather than delaying that terminal. An idle host holds
   * nothing open, and ends with this process.
   */
  warmUp(): void {
    if (this.child) return;
    this.start();
    this.holdEngineOpen();
  }

  spawn(request: PtyRequest, terminal: HostedTerminal): number {
    const id = this.nextId++;
    if (this.nextId > 0xffff_fff0) this.nextId = 1;
    // The strings go NUL-terminated; no program can be given a NUL anyway (exec cannot pass one on).
    const withNul = nulProblem(request);
    if (withNul) {
      process.nextTick(() => terminal.failed(`cannot start ${request.file}: ${withNul} holds a NUL character, which no program can be given`));
      return id;
    }
    this.terminals.set(id, terminal);
    if (!this.child) this.start();
    this.sendFrame(spawnFrame(id, request, this.environmentChanges(request.env)));
    return id;
  }

  /**
   * A spawn's environment as changes to the one the host holds. Most of it is the engine's own and
   * the same for every step: sent once, it is not serialised, written and parsed again for each
   * process started (a step's own variables are a handful: its marks and temp folder). One that
   * differs in too many places becomes the host's new base.
   */
  private environmentChanges(env: Record<string, string>): EnvironmentChanges {
    const base = this.baseEnvironment;
    if (base) {
      const set: Record<string, string> = {};
      let changes = 0;
      for (const name of Object.keys(env)) {
        const value = env[name];
        if (value !== undefined && !(Object.hasOwn(base, name) && base[name] === value)) {
          set[name] = value;
          changes++;
        }
      }
      const unset = Object.keys(base).filter((name) => !Object.hasOwn(env, name) || env[name] === undefined);
      changes += unset.length;
      if (changes <= Math.max(minChangesKept, Object.keys(base).length / 4)) return { set, unset };
    }
    const fresh: Record<string, string> = {};
    for (const name of Object.keys(env)) if (env[name] !== undefined) fresh[name] = env[name];
    this.baseEnvironment = fresh;
    this.sendFrame(environmentFrame(fresh));
    return { set: {}, unset: [] };
  }

  write(id: number, data: string): void {
    if (this.terminals.has(id)) this.send(toHost.write, id, data);
  }

  resize(id: number, cols: number, rows: number): void {
    if (!this.terminals.has(id)) return;
    const size = Buffer.allocUnsafe(8);
    size.writeUInt32BE(cols, 0);
    size.writeUInt32BE(rows, 4);
    this.sendFrame(framed(toHost.resize, id, size));
  }

  pause(id: number): void {
    if (this.terminals.has(id)) this.send(toHost.pause, id, '');
  }

  resume(id: number): void {
    if (this.terminals.has(id)) this.send(toHost.resume, id, '');
  }

  private send(type: number, id: number, payload: string): void {
    this.sendFrame(hostFrame(type, id, payload));
  }

  private sendFrame(frame: Buffer): void {
    const child = this.child ?? this.start();
    child.stdin!.write(frame);
    this.unheard?.push(frame);
    this.holdEngineOpen();
  }

  private start(): ChildProcess {
    const args = ptyHostArgs(hostScript, ptySpawnerPath(), this.spawnerCannotHost ? { ...process.env, PHOTON_PTY_HOST: 'node' } : process.env);
    this.unheard = args[0] === hostScript ? undefined : [];
    // `photon run` starts it before it loads the command line (bin/photon.js).
    const child = takePrelaunchedPtyHost(args) ?? launchPtyHost(args);
    this.child = child;
    this.baseEnvironment = undefined;
    this.headBytes = 0;
    this.frame = undefined;
    this.cutCharacters.clear();
    // Writes to a host that died fail with EPIPE; its loss is reported once, from 'close'.
    child.stdin!.on('error', () => {});
    child.on('error', (error) => this.lost(child, `cannot start Photon's terminal host (${args.join(' ')}): ${error.message}`));
    child.stdout!.on('data', (chunk: Buffer) => this.receive(chunk));
    // After its output is read to the end: every report it made is in before its loss is.
    child.on('close', (code, signal) => {
      if (this.child === child && this.unheard && code === 2) return this.hostInNode(args[0]!);
      this.lost(child, `Photon's terminal host (pid ${child.pid}) ended (${signal ?? `exit code ${code}`}); the terminal's process lost its terminal`);
    });
    return child;
  }

  /** The spawner at `spawner` refused `--host` before it said anything: the Node host takes over what was sent to it. */
  private hostInNode(spawner: string): void {
    const frames = this.unheard ?? [];
    this.spawnerCannotHost = true;
    this.child = undefined;
    process.stderr.write(`photon: ${spawner} cannot serve as the terminal host (a build of older sources: rebuild it with \`node scripts/build-pty-spawner.js\`); terminals start through the Node host\n`);
    const child = this.start();
    for (const frame of frames) child.stdin!.write(frame);
    this.holdEngineOpen();
  }

  /**
   * Frames from the host's stdout, which arrive in reads of up to 64 KB that cut frames anywhere.
   * Output is decoded piece by piece as it arrives (a character cut between pieces is kept for
   * the next), so a frame is never joined from its pieces: joining copied most of a
   * flood once more and held each copy until the next garbage collection.
   */
  private receive(chunk: Buffer): void {
    this.unheard = undefined;
    let at = 0;
    while (at < chunk.length) {
      let frame = this.frame;
      if (!frame) {
        const take = Math.min(frameHeadBytes - this.headBytes, chunk.length - at);
        chunk.copy(this.head, this.headBytes, at, at + take);
        this.headBytes += take;
        at += take;
        if (this.headBytes < frameHeadBytes) return;
        this.headBytes = 0;
        frame = this.frame = { type: this.head.readUInt8(4), id: this.head.readUInt32BE(5), left: this.head.readUInt32BE(0) - 5, parts: [] };
      }
      const piece = chunk.subarray(at, at + Math.min(frame.left, chunk.length - at));
      at += piece.length;
      frame.left -= piece.length;
      if (frame.type === toEngine.data) {
        if (piece.length > 0) this.output(frame.id, piece);
      } else frame.parts.push(piece);
      if (frame.left > 0) return;
      this.frame = undefined;
      if (frame.type !== toEngine.data) this.report(frame.type, frame.id, frame.parts.length === 1 ? frame.parts[0]! : Buffer.concat(frame.parts));
    }
  }

  /**
   * The one decoding of a terminal's output in the engine. The text goes with the bytes it was
   * decoded from when they are valid UTF-8, so that a view taking bytes (the page's binary frames)
   * is sent them as they came instead of the text encoded again: encoding the batches for the
   * WebSocket was the engine's largest cost under a flood. A character cut between pieces waits
   * for its end, so both always hold whole characters.
   */
  private output(id: number, bytes: Buffer): void {
    const terminal = this.terminals.get(id);
    if (!terminal) return;
    let rest = bytes;
    const cut = this.cutCharacters.get(id);
    if (cut) {
      // Completed on its own (the piece is not joined to it: that would copy the piece).
      const length = characterLength(cut[0]!);
      const character = Buffer.concat([cut, rest.subarray(0, length - cut.length)]);
      rest = rest.subarray(character.length - cut.length);
      if (character.length < length) return void this.cutCharacters.set(id, character);
      this.cutCharacters.delete(id);
      deliverOutput(terminal, character);
    }
    const end = wholeCharactersEnd(rest);
    // Copied: a view would hold the whole read in memory for a byte or three.
    if (end < rest.length) this.cutCharacters.set(id, Buffer.from(rest.subarray(end)));
    if (end > 0) deliverOutput(terminal, end === rest.length ? rest : rest.subarray(0, end));
  }

  private report(type: number, id: number, payload: Buffer): void {
    const terminal = this.terminals.get(id);
    if (!terminal) return;
    if (type === toEngine.spawned) return terminal.spawned(payload.readUInt32BE(0));
    this.terminals.delete(id);
    // A character left unfinished at the end is shown as U+FFFD, as a terminal shows a broken one.
    const rest = this.cutCharacters.get(id)?.toString('utf8') ?? '';
    this.cutCharacters.delete(id);
    if (rest !== '') terminal.data(rest);
    if (type === toEngine.exit) terminal.exited(payload.readInt32BE(0), payload.readInt32BE(4));
    else if (type === toEngine.failed) terminal.failed(payload.toString('utf8') || 'the terminal could not start');
    this.holdEngineOpen();
  }

  /**
   * Ends the host now if no terminal is live, as this process's exit would (it ends on its stdin's
   * end): for a command whose steps are over, so that the host's exit overlaps the engine's closing
   * rather than following this process's (a reader of this process's stderr, which the host and
   * its spawner inherit, waits for them too). A terminal started later starts a new host.
   */
  release(): void {
    const child = this.child;
    if (!child || this.terminals.size > 0) return;
    this.child = undefined;
    // Closed at once, not ended: an end waits for a turn of this process's loop, which a command
    // closing its engine (promise jobs and SQLite's synchronous calls) and then exiting never gave it.
    child.stdin!.destroy();
  }

  /** Every terminal the host held ends with the reason; the next terminal starts a new host. */
  private lost(child: ChildProcess, reason: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    const orphans = [...this.terminals.values()];
    this.terminals.clear();
    for (const terminal of orphans) terminal.failed(reason);
  }

  /**
   * A live terminal keeps the engine's process running, as node-pty's own handle did; an idle host
   * does not (the CLI exits once its run is over, and the host with it, on its stdin's end).
   */
  private holdEngineOpen(): void {
    const child = this.child;
    if (!child) return;
    const streams = [child.stdin, child.stdout] as unknown as { ref(): void; unref(): void }[];
    if (this.terminals.size > 0) {
      child.ref();
      for (const stream of streams) stream.ref();
    } else {
      child.unref();
      for (const stream of streams) stream.unref();
    }
  }
}

/** Whole characters of a terminal's output, decoded; with their bytes when they are valid UTF-8 (U+FFFD in the text stands for invalid ones, which the bytes do not say). */
function deliverOutput(terminal: HostedTerminal, bytes: Buffer): void {
  // ASCII (most of a flood) is a byte a character: no UTF-8 to decode or check.
  if (isAscii(bytes)) terminal.data(bytes.toString('latin1'), bytes);
  else terminal.data(bytes.toString('utf8'), isUtf8(bytes) ? bytes : undefined);
}

/** How many bytes the UTF-8 character that starts with `lead` has (1 for a byte that cannot start one: the decoder marks it). */
function characterLength(lead: number): number {
  if (lead >= 0xc2 && lead < 0xe0) return 2;
  if (lead >= 0xe0 && lead < 0xf0) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

/**
 * Where the last whole UTF-8 character of `bytes` ends: before a lead byte whose continuation
 * bytes have not all come yet, else at the end (a malformed tail is left for the decoder to mark).
 */
export function wholeCharactersEnd(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let at = length - 1; at >= 0 && at >= length - 4; at--) {
    const byte = bytes[at]!;
    if ((byte & 0xc0) === 0x80) continue;
    return at + characterLength(byte) > length ? at : length;
  }
  return length;
}

let shared: PtyHost | undefined;

/** The one host of this process, started with its first terminal. */
export function ptyHost(): PtyHost {
  shared ??= new PtyHost();
  return shared;
}

/** The host's pid while it runs (for tests and diagnostics). */
export function ptyHostPid(): number | undefined {
  return shared?.pid;
}

/** A frame to the pty host: [length u32: 5 + the payload's][type u8][terminal id u32][payload, UTF-8]. */
export function hostFrame(type: number, id: number, payload: string): Buffer {
  return framed(type, id, Buffer.from(payload, 'utf8'));
}

function framed(type: number, id: number, body: Buffer): Buffer {
  const head = Buffer.allocUnsafe(9);
  head.writeUInt32BE(5 + body.length, 0);
  head.writeUInt8(type, 4);
  head.writeUInt32BE(id, 5);
  return body.length > 0 ? Buffer.concat([head, body]) : head;
}

/** The environment every spawn's is made from, as NAME=value strings. */
export function environmentFrame(env: Record<string, string>): Buffer {
  return framed(toHost.environment, 0, nulTerminated(Object.keys(env).map((name) => `${name}=${env[name]}`)));
}

/** The strings, each followed by a NUL, in UTF-8. */
function nulTerminated(strings: readonly string[]): Buffer {
  return Buffer.from(strings.length > 0 ? `${strings.join('\0')}\0` : '', 'utf8');
}

/** Where a request holds a NUL (in the user's words), or undefined. */
function nulProblem(request: PtyRequest): string | undefined {
  for (const name of Object.keys(request.env)) {
    if (name.includes('\0') || request.env[name]?.includes('\0')) return `its environment variable ${name}`;
  }
  if (request.file.includes('\0') || request.args.some((arg) => arg.includes('\0'))) return 'an argument';
  if (request.cwd.includes('\0') || request.folders?.some((folder) => folder.includes('\0'))) return 'its folder';
  return undefined;
}

/**
 * A spawn request: [cols u32][rows u32][folders u32][args u32][set u32][unset u32], then the
 * program, its folder, the folders to make, the arguments, NAME=value for each variable set and
 * NAME for each unset, NUL-terminated (pty-spawner-host.c, pty-host-main.js decodeSpawn).
 */
export function spawnFrame(id: number, request: PtyRequest, env: EnvironmentChanges): Buffer {
  const folders = request.folders ?? [];
  const set = Object.keys(env.set).map((name) => `${name}=${env.set[name]}`);
  const counts = Buffer.allocUnsafe(24);
  [request.cols, request.rows, folders.length, request.args.length, set.length, env.unset.length].forEach((count, i) => counts.writeUInt32BE(count, i * 4));
  const strings = nulTerminated([request.file, request.cwd, ...folders, ...request.args, ...set, ...env.unset]);
  return framed(toHost.spawn, id, Buffer.concat([counts, strings]));
}
