/**
 * `terminal.data` on the WebSocket as a binary frame, for the clients that ask for it (the app's
 * page: `/rpc?terminal-data=binary`). Terminal output is most of what the socket carries; as a JSON
 * text frame each batch was escaped and copied by JSON.stringify in the engine and parsed back by
 * JSON.parse in the page, on top of the UTF-8 both ends do anyway. A binary frame is the UTF-8 of
 * the text behind a short header, made once per batch for every socket attached to the terminal:
 *
 *   [kind u8 = 1][id length u8][id, ASCII][text, UTF-8]
 *
 * A batch is whole characters: the engine never ends one inside a surrogate pair (UTF-8 cannot
 * carry half of one), so decoding each frame on its own gives back the text exactly.
 */

/** The first byte of a frame: what it carries. */
export const terminalDataFrameKind = 1;

/** The query parameter by which a client asks for terminal output in binary frames. */
export const binaryTerminalDataQuery = { name: 'terminal-data', value: 'binary' } as const;

const encoder = new TextEncoder();
// Not fatal: a frame is made by TextEncoder, so it is valid UTF-8; should one ever not be, the
// view shows U+FFFD where it went wrong rather than losing the whole batch.
const decoder = new TextDecoder('utf-8');

/**
 * A frame as text whose UTF-8 is the frame's bytes: the kind and the id's length are below 0x80,
 * so each is one byte, and the id is printable ASCII. The server hands it to ws as a binary
 * message, and ws writes a string's UTF-8 straight to the socket: no buffer is made per batch
 * (one was, and it held the engine's memory about 7 MB higher under a flood until the next
 * garbage collection: bench/terminal.bench.ts, peak growth 21 -> 28 MB).
 */
export function terminalDataFrameText(id: string, data: string): string {
  if (!/^[\x20-\x7e]{1,127}$/.test(id)) throw new RangeError(`terminal id "${id.slice(0, 40)}" is not 1 to 127 printable ASCII characters and cannot go in a frame`);
  return String.fromCharCode(terminalDataFrameKind, id.length) + id + data;
}

/** The frame's bytes, for a sender that has no string-to-socket path (and for tests). */
export function encodeTerminalData(id: string, data: string): Uint8Array {
  return encoder.encode(terminalDataFrameText(id, data));
}

/** The terminal id and text of a frame; throws (naming what is wrong) on one that is not a terminal.data frame. */
export function decodeTerminalData(frame: Uint8Array): { id: string; data: string } {
  if (frame.length < 2 || frame[0] !== terminalDataFrameKind) {
    throw new Error(`binary frame of kind ${frame[0] ?? 'none'} (${frame.length} bytes) is not terminal.data (kind ${terminalDataFrameKind})`);
  }
  const idEnd = 2 + frame[1]!;
  if (frame.length < idEnd) throw new Error(`terminal.data frame of ${frame.length} bytes is shorter than its header says (${idEnd})`);
  return { id: decoder.decode(frame.subarray(2, idEnd)), data: decoder.decode(frame.subarray(idEnd)) };
}
