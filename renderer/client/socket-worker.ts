/**
 * The page's WebSocket, run in a dedicated worker (worker-socket.ts is the page's side).
 *
 * Chromium hands a WebSocket's incoming bytes to the page through a pipe of about 128 KB that it
 * reads on the thread the socket belongs to. On the page's main thread, xterm parses output in
 * slices of up to 12 ms; meanwhile nobody reads the pipe, the browser's network process stops at
 * 128 KB, and when xterm is done the page waits for it to be scheduled again: under a flood the
 * page sat idle a quarter to two fifths of the time with the engine's socket full
 * (bench/terminal.bench.ts --profile). Here the pipe is read while the main thread parses; frames
 * go to it as transferred ArrayBuffers (no copy), in order with the JSON messages.
 */
import type { FromSocketWorker, ToSocketWorker } from './worker-socket.js';

const scope = self as unknown as {
  onmessage: ((event: { data: ToSocketWorker }) => void) | null;
  postMessage(message: FromSocketWorker, transfer?: Transferable[]): void;
};

let socket: WebSocket | undefined;

scope.onmessage = ({ data: message }) => {
  if (message.type === 'connect') {
    const current = new WebSocket(message.url);
    socket = current;
    current.binaryType = 'arraybuffer';
    current.onopen = () => scope.postMessage({ type: 'open' });
    current.onmessage = (event: MessageEvent<unknown>) => {
      const data = event.data;
      if (data instanceof ArrayBuffer) scope.postMessage({ type: 'message', data }, [data]);
      else if (typeof data === 'string') scope.postMessage({ type: 'message', data });
    };
    current.onerror = () => scope.postMessage({ type: 'error' });
    current.onclose = (event) => scope.postMessage({ type: 'close', code: event.code, reason: event.reason });
  } else if (message.type === 'send') {
    socket?.send(message.data);
  } else if (message.type === 'close') {
    socket?.close(message.code, message.reason);
  }
};
