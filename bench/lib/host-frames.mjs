// The frames between the engine and its pty host (a 4-byte length, then the frame's type) as the
// engine writes and reads them, for the preloads that time a chain's links
// (link-timeline-engine.mjs, link-profile-engine.mjs), and the host's own frames for link-timeline-host.mjs.

/**
 * Calls `onWrite(type)` just before the engine writes each frame to the host `child`, and
 * `onRead(type)` as it reads each frame the host sent. The engine writes whole frames.
 */
export function watchHostFrames(child, { onWrite, onRead }) {
  const write = child.stdin.write;
  // Noted before the write: the host, woken by it, may run first.
  child.stdin.write = function (chunk, ...writeArgs) {
    onWrite(chunk[4]);
    return write.call(this, chunk, ...writeArgs);
  };
  const read = frameTypes(onRead);
  const emit = child.stdout.emit;
  child.stdout.emit = function (name, chunk, ...emitArgs) {
    if (name === 'data') read(chunk);
    return emit.call(this, name, chunk, ...emitArgs);
  };
}

/** Calls `each(type)` for every whole frame of a stream whose frames are [length u32 BE][type u8]..., fed its chunks in order. */
export function frameTypes(each) {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let at = 0;
    while (pending.length - at >= 5 && pending.length - at - 4 >= pending.readUInt32BE(at)) {
      each(pending[at + 4]);
      at += 4 + pending.readUInt32BE(at);
    }
    pending = pending.subarray(at);
  };
}
