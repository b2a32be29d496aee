/**
 * `terminal.data` on the WebSocket as a binary frame, for the clients that ask for it (the app's
 * page: `/rpc?terminal-data=bytes`). Terminal output is most of what the socket carries; as a JSON
 * text frame each batch was escaped and copied by JSON.stringify in the engine and parsed back by
 * JSON.parse in the page. A binary frame is the UTF-8 of the text behind a short header, made once
 * per batch for every socket attached to the terminal:
 *
 *   [kind u8 = 2][id length u8][id, ASCII][count length u8][count, ASCII decimal][text, UTF-8]
 *
 * The page hands the text's bytes to xterm as they are (a view on the frame: xterm decodes UTF-8
 * itself), so no string is made per batch; the count is the text's length in UTF-16 code units,
 * what the view acknowledges (`terminals.ack` counts characters) without decoding the bytes.
 * A batch is whole characters: the engine never ends one inside a surrogate pair (UTF-8 cannot
 * carry half of one), so each frame's bytes are whole UTF-8 sequences.
 *
 * Kind 1 (the same frame without the count, asked for by `?terminal-data=binary`) is retired: a
 * page built before it asks for that, is no longer answered in binary, and gets JSON events.
 */

/** The first byte of a frame: what it carries. */
export const terminalDataFrameKind = 2;

/** The query parameter by which a client asks for terminal output in binary frames. */
export const binaryTerminalDataQuery = { name: 'terminal-data', value: 'bytes' } as const;

/** A batch of a terminal's output as a binary frame carries it: the text's UTF-8 and its length in UTF-16 code units. */
export interface TerminalBytes {
  id: string;
  /** A view on the frame, not a copy. */
  bytes: Uint8Array;
  chars: number;
}

const encoder = new TextEncoder();

/** The frame's header as text, one character a byte (all below 0x80). */
function frameHead(id: string, chars: number): string {
  checkFrameId(id);
  const count = String(chars);
  return String.fromCharCode(terminalDataFrameKind, id.length) + id + String.fromCharCode(count.length) + count;
}

function checkFrameId(id: string): void {
  if (!/^[\x20-\x7e]{1,127}$/.test(id)) throw new RangeError(`terminal id "${id.slice(0, 40)}" is not 1 to 127 printable ASCII characters and cannot go in a frame`);
}

/**
 * A frame as text whose UTF-8 is the frame's bytes: the kind, the lengths and the digits are below
 * 0x80, so each is one byte, and the id is printable ASCII. The server hands it to ws as a binary
 * message, and ws encodes it straight to the socket; for a batch whose UTF-8 the engine has as the
 * pty gave it, terminalDataFrameFromBytes makes the frame without encoding.
 */
export function terminalDataFrameText(id: string, data: string): string {
  return frameHead(id, data.length) + data;
}

/**
 * The frame of a batch of `chars` UTF-16 code units whose UTF-8 is at hand in `parts`, in order:
 * bytes as the pty gave them, or text (encoded here). One copy of the bytes and no string: ws
 * sending the text cost the engine a UTF-8 length and an encoding of every batch (with the text's
 * pieces joined first), 6 ms per MB of a flood against 1 for these bytes, socket writes included.
 */
export function terminalDataFrameFromBytes(
  id: string,
  chars: number,
  parts: readonly (Uint8Array | string)[],
  /** Memory of at least `length` bytes for the frame (a sender may reuse its buffers); a new array by default. */
  allocate: (length: number) => Uint8Array = (length) => new Uint8Array(length),
): Uint8Array {
  const head = frameHead(id, chars);
  const pieces = parts.map((part) => (typeof part === 'string' ? encoder.encode(part) : part));
  let length = head.length;
  for (const piece of pieces) length += piece.length;
  const memory = allocate(length);
  const frame = memory.length === length ? memory : memory.subarray(0, length);
  for (let at = 0; at < head.length; at++) frame[at] = head.charCodeAt(at);
  let at = head.length;
  for (const piece of pieces) {
    frame.set(piece, at);
    at += piece.length;
  }
  return frame;
}

/** The frame's bytes, for a sender that has no string-to-socket path (and for tests). */
export function encodeTerminalData(id: string, data: string): Uint8Array {
  return encoder.encode(terminalDataFrameText(id, data));
}

/**
 * The terminal id, text bytes and character count of a frame, without decoding or copying the
 * text; throws (naming what is wrong) on one that is not a terminal.data frame of this kind.
 */
export function decodeTerminalData(frame: Uint8Array): TerminalBytes {
  if (frame.length < 2 || frame[0] !== terminalDataFrameKind) {
    throw new Error(`binary frame of kind ${frame[0] ?? 'none'} (${frame.length} bytes) is not terminal.data (kind ${terminalDataFrameKind})`);
  }
  const idEnd = 2 + frame[1]!;
  const countEnd = idEnd + 1 + (frame[idEnd] ?? 0);
  if (frame.length < countEnd || countEnd === idEnd + 1) {
    throw new Error(`terminal.data frame of ${frame.length} bytes is shorter than its header says (${Math.max(countEnd, idEnd + 2)})`);
  }
  let chars = 0;
  for (let at = idEnd + 1; at < countEnd; at++) {
    const digit = frame[at]! - 0x30;
    if (digit < 0 || digit > 9) throw new Error(`terminal.data frame's character count has a byte ${frame[at]} that is not a decimal digit`);
    chars = chars * 10 + digit;
  }
  return { id: String.fromCharCode(...frame.subarray(2, idEnd)), bytes: frame.subarray(countEnd), chars };
}

/**
 * A view's acknowledgement (`terminals.ack`) as a binary frame from the page, on a socket that
 * takes terminal output in binary frames:
 *
 *   [kind u8 = 3][id length u8][id, ASCII][chars, ASCII decimal]
 *
 * As a JSON call each acknowledgement was a request and a reply: under a flood up to one of each per
 * batch, two of every three messages on the socket, each a write and a wake-up of both ends, with
 * a JSON parse, a schema check and a JSON reply in the engine and a pending call in the page. The
 * server dispatches this frame as the same `terminals.ack` call (same checks, same scope) and
 * sends nothing back: an acknowledgement's reply told the page nothing it acted on.
 */
export const terminalAckFrameKind = 3;

/** The frame of an acknowledgement of `chars` characters of terminal `id`'s output. */
export function encodeTerminalAck(id: string, chars: number): Uint8Array {
  if (!Number.isSafeInteger(chars) || chars < 0) throw new RangeError(`an acknowledgement counts whole characters, not ${chars}`);
  checkFrameId(id);
  const text = String.fromCharCode(terminalAckFrameKind, id.length) + id + String(chars);
  const frame = new Uint8Array(text.length);
  for (let at = 0; at < text.length; at++) frame[at] = text.charCodeAt(at);
  return frame;
}

/** The terminal id and character count of an acknowledgement frame; throws (naming what is wrong) on anything else. */
export function decodeTerminalAck(frame: Uint8Array): { id: string; chars: number } {
  if (frame.length < 2 || frame[0] !== terminalAckFrameKind) {
    throw new Error(`binary frame of kind ${frame[0] ?? 'none'} (${frame.length} bytes) is not a terminal acknowledgement (kind ${terminalAckFrameKind})`);
  }
  const idEnd = 2 + frame[1]!;
  if (frame[1] === 0 || frame.length <= idEnd || frame.length > idEnd + 15) {
    throw new Error(`terminal acknowledgement frame of ${frame.length} bytes does not hold an id of ${frame[1]} bytes and a count of 1 to 15 digits`);
  }
  let chars = 0;
  for (let at = idEnd; at < frame.length; at++) {
    const digit = frame[at]! - 0x30;
    if (digit < 0 || digit > 9) throw new Error(`terminal acknowledgement's character count has a byte ${frame[at]} that is not a decimal digit`);
    chars = chars * 10 + digit;
  }
  return { id: String.fromCharCode(...frame.subarray(2, idEnd)), chars };
}
