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

/** A method as a group file writes it: its params schema made by a function, called on first use. */
interface MethodSpec {
  params: () => z.ZodType;
  result: unknown;
}

/** The methods of a group, each with its params schema built when first read. */
export type LazyMethods<T extends Record<string, MethodSpec>> = { readonly [K in keyof T]: { readonly params: ReturnType<T[K]['params']>; readonly result: T[K]['result'] } };

/**
 * The methods of a group with each params schema built on first use, then kept: building every
 * schema of the contract when it loads cost 13-24 ms of each `photon` start that opens the engine,
 * which then checks the params of a few methods. A built schema replaces its getter, so reading
 * `params` costs a property read from then on (test/contract/lazy-params.test.ts counts what is built).
 */
export function lazyMethods<T extends Record<string, MethodSpec>>(specs: T): LazyMethods<T> {
  const entries: Record<string, object> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const entry = { result: spec.result };
    Object.defineProperty(entry, 'params', {
      enumerable: true,
      configurable: true,
      get() {
        const params = spec.params();
        Object.defineProperty(entry, 'params', { value: params, enumerable: true, writable: false, configurable: false });
        return params;
      },
    });
    entries[name] = entry;
  }
  return entries as LazyMethods<T>;
}

/** A schema several methods of a group share, built once when the first of them is. */
export function once<S extends z.ZodType>(build: () => S): () => S {
  let schema: S | undefined;
  return () => (schema ??= build());
}
