import { z } from 'zod';

// What the contract's method groups (shared/api/*.ts) build their entries from.

/** Marks a result or payload type without a runtime schema: results come from the engine, which is trusted. */
export function returns<T>(): T {
  return undefined as T;
}

export const id = z.string().min(1).max(200);
export const noParams = z.object({}).strict().optional();
/** Epoch milliseconds of a date JavaScript can hold (a later one would fail deep inside the engine, not here). */
export const epochMs = z.number().int().min(0).max(8_640_000_000_000_000, 'must be epoch milliseconds no later than the year 275760');
