/**
 * Blocks of 10 TCP ports, one per running attempt (PHOTON_PORT_BASE .. +9), so parallel dev
 * servers and test suites don't collide. A block is handed out only when each of its ports can be
 * bound on loopback now, and never to two attempts at once in this engine.
 */
import { createServer } from 'node:net';

export const portBlockSize = 10;
/** Above the usual dev-server ports (3000, 5173, 8080) and below Linux's ephemeral range (32768+). */
const firstPort = 20_000;
const blockCount = 1_000;

export class PortBlocks {
  private readonly taken = new Set<number>();

  /** A free block's first port. Tries blocks from a random place, so two engines rarely race for one. */
  async take(): Promise<number> {
    const start = Math.floor(Math.random() * blockCount);
    for (let i = 0; i < blockCount; i++) {
      const base = firstPort + ((start + i) % blockCount) * portBlockSize;
      if (this.taken.has(base)) continue;
      // Held while it is checked, so a second caller at the same moment skips it.
      this.taken.add(base);
      if (await allFree(base)) return base;
      this.taken.delete(base);
    }
    throw new Error(`no block of ${portBlockSize} free TCP ports between ${firstPort} and ${firstPort + blockCount * portBlockSize - 1}; stop some servers and try again`);
  }

  release(base: number): void {
    this.taken.delete(base);
  }

  /** Blocks held now (for tests and the metrics). */
  held(): number[] {
    return [...this.taken].sort((a, b) => a - b);
  }
}

async function allFree(base: number): Promise<boolean> {
  for (let port = base; port < base + portBlockSize; port++) if (!(await canBind(port))) return false;
  return true;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolvePromise(true)));
  });
}
