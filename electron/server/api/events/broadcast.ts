/**
 * Every open event stream, SSE and WebSocket alike, fed from the event log: who gets which event,
 * how much may wait for each, and how a client that asked to resume catches up.
 *
 * Cost per event does not grow with the streams that do not want it, nor per stream with the
 * event: streams with the same filter form a group, and groups are found by the event's run (an
 * event for run X never looks at the groups following run Y). Events are not written one by one:
 * those that arrive in one turn of the event loop gather per group and go out at the next as one
 * write per stream, the frames made once for the group. A backlog of thousands of runs
 * therefore costs a write per stream per turn, not one per event per stream.
 *
 * Each stream's send buffer is bounded (`maxPendingBytes`, what its connection holds that the
 * kernel has not taken): a stream with bytes still waiting whose next events would pass the limit
 * is sent a `gap` (reason `slow`, with the last event id it was sent) and ended; the client
 * reconnects with that Last-Event-ID and is sent the rest from the log, or is told the log no
 * longer holds it. A replay is paced by the same limit: written while the connection takes it,
 * resumed when it has flushed, so a long one is never cut off for its length.
 */
import type { ApiEvent } from '../../../../shared/rest.js';
import { gapEvent, runIdOf, type EventFilter, type EventLog, type GapEvent } from './event-log.js';

/** What may wait for one stream before it is told it fell behind: about a thousand run updates. */
export const defaultMaxPendingBytes = 1024 * 1024;
/** Below this the limit would be under Node's own socket buffer mark, whose drain the pacing waits for. */
const minMaxPendingBytes = 64 * 1024;
/** Room kept under the limit for the gap itself, so what waits stays within it. */
const gapRoom = 512;
/** Events read from the log per step of a replay. */
const replayStep = 64;
/** A comment line this often keeps proxies and idle timeouts from closing a quiet SSE stream. */
export const keepAliveMs = 15_000;

/** An event's bytes on one transport (an SSE message, a WebSocket text message). */
export interface Transport {
  readonly name: string;
  frame(event: ApiEvent | GapEvent): Buffer;
  /** Whether frames may be joined into one write (SSE) or must stay separate messages (WebSocket). */
  readonly joins: boolean;
}

/** One client's connection, as the broadcaster writes to it. */
export interface StreamSink {
  /** Bytes handed to the connection that the kernel has not yet taken. */
  pending(): number;
  /** One joined buffer (a joining transport) or one message each; `flushed` once the kernel took the last. */
  write(payload: Buffer | readonly Buffer[], flushed?: () => void): void;
  /** Writes a last frame and ends, cutting the connection if it is not read within a while. */
  end(last: Buffer): void;
  /** Keeps a quiet connection alive; absent where the transport pings on its own. */
  keepAlive?(): void;
  /** Cuts the connection now. */
  close(): void;
}

export interface BroadcasterOptions {
  maxPendingBytes?: number;
  keepAliveMs?: number;
}

export interface StreamStats {
  transport: string;
  filter: { operation?: string; types?: string[] };
  /** The last event id written to it. */
  lastEventId: number;
  catchingUp: boolean;
  /** Events handed to it live (not from a replay). */
  offered: number;
  pendingBytes: number;
  /** The most that waited for it, taken after each write. */
  peakPendingBytes: number;
}

export interface BroadcastStats {
  streams: StreamStats[];
  groups: number;
  /** Filter checks made: one per event and group of its run's (or of any run's), never per stream. */
  checks: number;
  /** Streams told they fell behind. */
  slow: number;
}

export interface Broadcaster {
  readonly maxPendingBytes: number;
  /** Starts a stream from now, or after `lastId` (replayed first); returns its removal. */
  add(sink: StreamSink, transport: Transport, filter: EventFilter, lastId: number | undefined): () => void;
  stats(): BroadcastStats;
  close(): void;
}

interface Stream {
  sink: StreamSink;
  filter: EventFilter;
  group: Group;
  cursor: number;
  catchingUp: boolean;
  /** Its replay's gap was sent. */
  toldGap: boolean;
  closed: boolean;
  /** Nothing written since the last keep-alive tick. */
  quiet: boolean;
  offered: number;
  peakPending: number;
}

interface Group {
  key: string;
  operation: string;
  transport: Transport;
  types: ReadonlySet<string> | undefined;
  members: Set<Stream>;
  batch: Batch | undefined;
}

/** Events gathered for a group within one turn, framed once. */
class Batch {
  readonly frames: Buffer[] = [];
  readonly ids: number[] = [];
  private joined: Buffer | undefined;
  private bytes = 0;

  add(frame: Buffer, id: number): void {
    this.frames.push(frame);
    this.ids.push(id);
    this.bytes += frame.length;
  }

  /** Index of the first event a stream that was written up to `cursor` has not had. */
  firstAfter(cursor: number): number {
    if (cursor < this.ids[0]!) return 0;
    let index = 0;
    while (index < this.ids.length && this.ids[index]! <= cursor) index++;
    return index;
  }

  sizeFrom(from: number): number {
    if (from === 0) return this.bytes;
    let size = 0;
    for (let index = from; index < this.frames.length; index++) size += this.frames[index]!.length;
    return size;
  }

  payload(from: number, joins: boolean): Buffer | readonly Buffer[] {
    if (!joins) return from === 0 ? this.frames : this.frames.slice(from);
    if (from > 0) return Buffer.concat(this.frames.slice(from));
    return (this.joined ??= Buffer.concat(this.frames, this.bytes));
  }
}

const anyOperation = '*';

export function createBroadcaster(log: EventLog, options: BroadcasterOptions = {}): Broadcaster {
  const maxPendingBytes = Math.max(minMaxPendingBytes, options.maxPendingBytes ?? defaultMaxPendingBytes);
  const room = maxPendingBytes - gapRoom;
  const streams = new Set<Stream>();
  /** Groups by the run they follow (`*`: any), then by transport and types. */
  const byOperation = new Map<string, Map<string, Group>>();
  const dirty = new Set<Group>();
  let flushing: NodeJS.Immediate | undefined;
  let unsubscribe: (() => void) | undefined;
  let keepAlive: NodeJS.Timeout | undefined;
  let checks = 0;
  let slow = 0;

  const offer = (groups: Map<string, Group> | undefined, event: ApiEvent, frames: Map<Transport, Buffer>) => {
    if (!groups) return;
    for (const group of groups.values()) {
      checks++;
      if (group.types && !group.types.has(event.event)) continue;
      let frame = frames.get(group.transport);
      if (!frame) frames.set(group.transport, (frame = group.transport.frame(event)));
      (group.batch ??= new Batch()).add(frame, Number(event.id));
      dirty.add(group);
      flushing ??= setImmediate(flush);
    }
  };

  const receive = (event: ApiEvent) => {
    const frames = new Map<Transport, Buffer>();
    const runId = runIdOf(event.payload);
    if (runId !== undefined) offer(byOperation.get(runId), event, frames);
    offer(byOperation.get(anyOperation), event, frames);
  };

  const flush = () => {
    flushing = undefined;
    const groups = [...dirty];
    dirty.clear();
    for (const group of groups) {
      const batch = group.batch;
      group.batch = undefined;
      if (!batch) continue;
      const last = batch.ids[batch.ids.length - 1]!;
      for (const stream of group.members) {
        // One catching up reads these from the log; one that joined since has them already.
        if (stream.catchingUp || stream.cursor >= last) continue;
        const from = batch.firstAfter(stream.cursor);
        const pending = stream.sink.pending();
        if (pending > 0 && pending + batch.sizeFrom(from) > room) {
          fallBehind(stream);
          continue;
        }
        stream.sink.write(batch.payload(from, group.transport.joins));
        stream.offered += batch.ids.length - from;
        written(stream, last);
      }
    }
  };

  const written = (stream: Stream, cursor: number) => {
    stream.cursor = cursor;
    stream.quiet = false;
    const pending = stream.sink.pending();
    if (pending > stream.peakPending) stream.peakPending = pending;
  };

  const fallBehind = (stream: Stream) => {
    slow++;
    const { transport } = stream.group;
    stream.sink.end(transport.frame(gapEvent('slow', stream.cursor, log.lastId, maxPendingBytes)));
    remove(stream);
  };

  /**
   * Writes from the log while the connection takes it, and goes on from the log once it has
   * flushed: events that come meanwhile are read there too. Live once the log has nothing more,
   * in the same turn as that read, so no event falls between the two.
   */
  const catchUp = (stream: Stream) => {
    const { transport } = stream.group;
    while (!stream.closed) {
      const replay = log.since(stream.cursor, stream.filter, replayStep);
      const done = replay.events.length < replayStep;
      const through = done ? log.lastId : Number(replay.events[replay.events.length - 1]!.id);
      const frames = replay.events.map((event) => transport.frame(event));
      // Told once: a replay of several steps may still be before the point the record stopped at.
      if (replay.gap && !stream.toldGap) {
        frames.unshift(transport.frame(gapEvent('not-kept', stream.cursor, log.lastId)));
        stream.toldGap = true;
      }
      let full = false;
      if (frames.length > 0) {
        full = stream.sink.pending() + frames.reduce((sum, frame) => sum + frame.length, 0) >= room;
        stream.sink.write(transport.joins ? Buffer.concat(frames) : frames, full ? () => catchUp(stream) : undefined);
      }
      // Not the greater of the two: an id from an earlier server (a gap) is beyond this one's
      // numbering, and kept as the cursor it would hold back every live event below it.
      written(stream, through);
      if (full) return;
      if (done) {
        stream.catchingUp = false;
        return;
      }
    }
  };

  const groupFor = (transport: Transport, filter: EventFilter): Group => {
    const operation = filter.operation ?? anyOperation;
    const types = filter.types ? [...filter.types].sort() : undefined;
    const key = `${transport.name} ${types?.join(',') ?? '*'}`;
    let groups = byOperation.get(operation);
    if (!groups) byOperation.set(operation, (groups = new Map()));
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, operation, transport, types: filter.types, members: new Set(), batch: undefined }));
    return group;
  };

  const remove = (stream: Stream) => {
    if (stream.closed) return;
    stream.closed = true;
    streams.delete(stream);
    const { group } = stream;
    group.members.delete(stream);
    if (group.members.size === 0) {
      const groups = byOperation.get(group.operation);
      groups?.delete(group.key);
      if (groups?.size === 0) byOperation.delete(group.operation);
    }
    if (streams.size === 0) {
      unsubscribe?.();
      unsubscribe = undefined;
      clearInterval(keepAlive);
      keepAlive = undefined;
    }
  };

  /** One timer for every stream: those written to since the last tick need no keep-alive. */
  const tick = () => {
    for (const stream of streams) {
      if (stream.quiet && stream.sink.keepAlive && stream.sink.pending() < room) stream.sink.keepAlive();
      stream.quiet = true;
    }
  };

  return {
    maxPendingBytes,
    add(sink, transport, filter, lastId) {
      unsubscribe ??= log.subscribe(receive);
      if (!keepAlive) {
        keepAlive = setInterval(tick, options.keepAliveMs ?? keepAliveMs);
        keepAlive.unref();
      }
      const stream: Stream = { sink, filter, group: groupFor(transport, filter), cursor: lastId ?? log.lastId, catchingUp: lastId !== undefined, toldGap: false, closed: false, quiet: true, offered: 0, peakPending: 0 };
      streams.add(stream);
      stream.group.members.add(stream);
      if (stream.catchingUp) catchUp(stream);
      return () => remove(stream);
    },
    stats() {
      let groups = 0;
      for (const byKey of byOperation.values()) groups += byKey.size;
      return {
        groups,
        checks,
        slow,
        streams: [...streams].map((stream) => ({
          transport: stream.group.transport.name,
          filter: { operation: stream.filter.operation, types: stream.filter.types ? [...stream.filter.types] : undefined },
          lastEventId: stream.cursor,
          catchingUp: stream.catchingUp,
          offered: stream.offered,
          pendingBytes: stream.sink.pending(),
          peakPendingBytes: stream.peakPending,
        })),
      };
    },
    close() {
      clearImmediate(flushing);
      flushing = undefined;
      for (const stream of [...streams]) {
        stream.sink.close();
        remove(stream);
      }
    },
  };
}
