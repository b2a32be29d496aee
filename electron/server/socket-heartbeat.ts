import type { WebSocket } from 'ws';

export interface SocketHeartbeat {
  /** Counts the socket as answering until a ping goes unanswered. */
  watch(socket: WebSocket): void;
  stop(): void;
}

/**
 * Pings a server's sockets every interval and drops one that has not answered the ping before
 * (terminated: a peer that is gone sends no close frame). After this process stood still (a long
 * synchronous task, a laptop's sleep) timers run before the sockets are read, so an answer already
 * waiting unread would count as none: such a round pings again instead of dropping every peer.
 */
export function startSocketHeartbeat(sockets: () => Iterable<WebSocket>, intervalMs: number): SocketHeartbeat {
  const answered = new WeakSet<WebSocket>();
  let lastRound = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const onTime = now - lastRound < intervalMs * 1.5;
    lastRound = now;
    for (const socket of sockets()) {
      if (onTime && !answered.has(socket)) {
        socket.terminate();
        continue;
      }
      answered.delete(socket);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return {
    watch(socket) {
      answered.add(socket);
      socket.on('pong', () => answered.add(socket));
    },
    stop: () => clearInterval(timer),
  };
}
