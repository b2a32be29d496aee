import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { plainOutput, stripAnsi } from '../../../shared/ansi.js';
import { makePrivateFolder, privateFileMode } from '../paths/index.js';

/** Plain text kept in memory per attempt for `{{steps.N.output}}`; beyond it only the end is kept. */
const maxKeptChars = 1024 * 1024;
const tailChars = 4000;

/**
 * One attempt's terminal output: every byte to its log file on disk, a bounded copy in memory
 * for the steps after it, and a short tail for the database. The log file (and its step's folder)
 * is made at the first output: most steps of a big workflow print nothing, and making, opening and
 * closing a file for each cost about 0.4 ms of the engine's main thread per step (bench/dag.bench.ts).
 */
export class AttemptOutput {
  private file: WriteStream | undefined;
  private kept = '';
  private truncated = false;
  private unwritable = false;
  private closing: Promise<void> | undefined;

  constructor(readonly path: string) {}

  /** The log, opened at the first output; undefined when its folder cannot be made. */
  private log(): WriteStream | undefined {
    if (this.file || this.unwritable) return this.file;
    // A log that cannot be written (disk full, folder removed) must not bring the engine down;
    // the database still gets the tail and the output.
    const failed = (error: Error) => console.error(`photon: cannot write ${this.path}: ${error.message}`);
    try {
      // What a step prints may be private: the log and its folders are for the user alone.
      makePrivateFolder(dirname(this.path));
    } catch (error) {
      this.unwritable = true;
      failed(error instanceof Error ? error : new Error(String(error)));
      return undefined;
    }
    this.file = createWriteStream(this.path, { mode: privateFileMode });
    this.file.on('error', failed);
    return this.file;
  }

  append(data: string): void {
    if (data === '') return;
    this.log()?.write(data);
    this.kept += data;
    if (this.kept.length > maxKeptChars * 2) {
      this.kept = this.kept.slice(-maxKeptChars);
      this.truncated = true;
    }
  }

  /** What later steps receive: the terminal text without escape codes, trimmed. */
  output(): string {
    // `kept` may hold up to twice the limit before it is cut, so cut here too, and say so either way.
    const cut = this.truncated || this.kept.length > maxKeptChars;
    const text = plainOutput(cut ? this.kept.slice(-maxKeptChars) : this.kept);
    return cut ? `[output truncated to its last ${maxKeptChars} characters; the full log is ${this.path}]\n${text}` : text;
  }

  tail(): string {
    return stripAnsi(this.kept.slice(-tailChars * 2)).slice(-tailChars);
  }

  /**
   * Everything the attempt printed, for a tool's output parser: from memory while it fits, else
   * from the log once it is complete on disk (a long stream's first events hold its session).
   */
  async fullText(): Promise<string> {
    if (!this.truncated) return this.kept;
    await this.close();
    try {
      return await readFile(this.path, 'utf8');
    } catch {
      return this.kept;
    }
  }

  /** Resolves once the log is whole on disk (at once for an attempt that printed nothing: it has none). */
  close(): Promise<void> {
    const file = this.file;
    this.closing ??= file ? new Promise((resolve) => file.end(resolve)) : Promise.resolve();
    return this.closing;
  }
}
