/**
 * Memory for the terminal output frames the WebSocket host sends, reused: once every socket a
 * frame went to has written it, its buffer makes the next one. A fresh buffer per batch (a few
 * hundred KB each, dozens a second under a flood) was new memory for the kernel to fault in and
 * for the garbage collector to find: the copy into it cost the engine 3 ms per MB of a flood, and
 * the engine's memory peaked about 10 MB higher (bench/terminal.bench.ts).
 */
export class FrameBuffers {
  private readonly free: Uint8Array[] = [];

  constructor(
    /** Free buffers kept at most: more than the frames a flood has on their way at once (one or two), and little memory held. */
    private readonly keep = 4,
    /** The smallest buffer made: a batch under a flood is about this size or a few times more. */
    private readonly smallest = 128 * 1024,
  ) {}

  /** A buffer of at least `length` bytes, to give back once nothing reads it any more. */
  take(length: number): Uint8Array {
    const at = this.free.findIndex((buffer) => buffer.length >= length);
    if (at >= 0) return this.free.splice(at, 1)[0]!;
    // Rounded up to 64 KB, so a slightly larger batch next time still fits, without doubling.
    return new Uint8Array(Math.max(this.smallest, Math.ceil(length / 65_536) * 65_536));
  }

  /** Kept if there is room, or in place of a smaller one: the larger fit more batches. */
  give(buffer: Uint8Array): void {
    if (this.free.length < this.keep) return void this.free.push(buffer);
    let smallest = 0;
    for (let at = 1; at < this.free.length; at++) if (this.free[at]!.length < this.free[smallest]!.length) smallest = at;
    if (this.free[smallest]!.length < buffer.length) this.free[smallest] = buffer;
  }
}
