// The server side of bench/terminal.bench.ts's "bare pipeline" (bench/lib/bare-pipeline.ts): the
// thinnest honest path from a pty to a page, beside Photon's. A process of its own, as Photon's
// engine is, so its CPU is read from /proc apart from the bench's (which polls /proc and drives
// the page meanwhile), and the producer it reaps is counted as its children's.
//
// It listens on 127.0.0.1 (port printed as a JSON line on stdout). Each WebSocket connection sends
// one text message, {command, cols, rows, high, low, batchMs}; the server spawns `/bin/sh -c command`
// in a pty of that size through node-pty (bytes, no decoding) and sends each chunk the pty gives as
// one binary message, nothing framed; with batchMs, what the pty gives within batchMs of a first
// chunk goes as one message (as VS Code's TerminalDataBufferer gathers 5 ms), since the page pays
// per message too. Flow control as xterm.js's guide describes it, with
// the window on this side: the page acknowledges (a text message, the byte count) what xterm's
// write callbacks said it parsed; above `high` bytes sent and not acknowledged the pty is paused,
// below `low` resumed. The program is to wait for a line on its input once it has printed all
// (`...; read _`): the page sends "done" when xterm shows the end, the server types a newline, and
// the server sends the text message "exit" with the number of chunks it sent once the program has
// exited. A program that exited at once could lose its last output: node-pty drops what the pty
// still holds 200 ms after the program's exit (DESTROY_SOCKET_TIMEOUT_MS), and with the pty paused
// by flow control that was its last few KB, marker included.
import pty from 'node-pty';
import { WebSocketServer } from 'ws';

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
server.on('listening', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
server.on('connection', (socket) => {
  let child;
  let unacknowledged = 0;
  let paused = false;
  let high = 0;
  let low = 0;
  let chunks = 0;
  let batchMs;
  let held = [];
  let heldBytes = 0;
  let timer;
  const send = (data) => {
    chunks++;
    socket.send(data, { binary: true });
  };
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (held.length === 0) return;
    const data = held.length === 1 ? held[0] : Buffer.concat(held, heldBytes);
    held = [];
    heldBytes = 0;
    send(data);
  };
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    const text = data.toString();
    if (child === undefined) {
      const start = JSON.parse(text);
      high = start.high;
      low = start.low;
      batchMs = start.batchMs;
      child = pty.spawn('/bin/sh', ['-c', start.command], { name: 'xterm-256color', cols: start.cols, rows: start.rows, cwd: process.cwd(), env: process.env, encoding: null });
      child.onData((chunk) => {
        if (batchMs === undefined) send(chunk);
        else {
          held.push(chunk);
          heldBytes += chunk.length;
          timer ??= setTimeout(flush, batchMs);
        }
        unacknowledged += chunk.length;
        if (!paused && unacknowledged > high) {
          paused = true;
          child.pause();
        }
      });
      child.onExit(() => {
        flush();
        socket.send(`exit ${chunks}`);
      });
      return;
    }
    if (text === 'done') {
      child.write('\n');
      return;
    }
    unacknowledged -= Number(text);
    if (paused && unacknowledged < low) {
      paused = false;
      child.resume();
    }
  });
  socket.on('close', () => child?.kill());
});
