/**
 * `npm run test:real-clis` runs the real CLIs inside a network namespace with only loopback, so
 * nothing can leave the machine: checked from inside it.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';

describe('the network namespace', () => {
  it('leaves nothing but loopback to the CLIs', async (test) => {
    if (process.env.PHOTON_REAL_CLIS_NETNS !== '1') return test.skip(`not inside a network namespace: ${process.env.PHOTON_REAL_CLIS_NETNS_REASON ?? 'run through npm run test:real-clis'}`);
    const failure = await new Promise<string>((resolve) => {
      const socket = connect({ host: '1.1.1.1', port: 443, timeout: 10_000 });
      socket.on('connect', () => resolve('connected'));
      socket.on('timeout', () => resolve('timeout'));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    expect(failure).toBe('ENETUNREACH');
  });
});
