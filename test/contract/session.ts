import { afterAll, beforeAll, expect } from 'vitest';
import type { EventEnvelope, ReplyEnvelope } from '../../shared/api.js';
import type { ConnectionFactory, ContractConnection } from './connection.js';

export type Failure = Extract<ReplyEnvelope, { ok: false }>;

/**
 * One connection for a describe block, opened before its tests and closed after, with every event
 * it hears recorded. `client` stands for the connection once it is open.
 */
export function contractSession(connect: ConnectionFactory) {
  const events: EventEnvelope[] = [];
  let connection: ContractConnection | undefined;

  beforeAll(async () => {
    connection = await connect();
    connection.onEvent((envelope) => events.push(envelope));
  });

  afterAll(async () => {
    await connection?.close();
  });

  const client = new Proxy({} as ContractConnection, {
    get: (_target, key) => {
      if (!connection) throw new Error('the contract connection is not open yet (use it inside a test)');
      return Reflect.get(connection, key) as unknown;
    },
  });

  /** A call that must succeed: its value. */
  const value = async <T>(method: string, params?: unknown): Promise<T> => {
    const reply = await client.request(method, params);
    if (!reply.ok) throw new Error(`${method} failed: ${reply.error.code}: ${reply.error.message}`);
    return reply.value as T;
  };

  /** A call that must fail: its error reply. */
  const failure = async (method: string, params?: unknown): Promise<Failure> => {
    const reply = await client.request(method, params);
    expect(reply.ok, `${method} should fail`).toBe(false);
    return reply as Failure;
  };

  return { client, events, value, failure };
}
