import type { z } from 'zod';

/**
 * A module-level schema built on first use rather than when its module loads: the value stands for
 * the schema `build` returns (its type exactly, so z.infer, .parse, .shape, .extend, nesting in
 * another schema all work as before), and the first time anything reads it the schema is built and
 * kept. Every `photon` start that opens the engine loads shared/ whole, and built each module's
 * schemas (agents, schedules, API keys, remote access, approval rules: about half of the ~530 zod
 * objects built at load) that a `photon run` never checks anything against
 * (test/server/cli/lazy-schemas.test.ts checks what a run builds).
 *
 * A Proxy, because an export cannot be a getter: every operation goes to the built schema. Its
 * target is a plain object that never receives the schema's properties, but for the non-configurable
 * ones a Proxy must also find on its target to report them.
 */
export function lazySchema<S extends z.ZodType>(build: () => S): S {
  let schema: S | undefined;
  const built = (): S => (schema ??= build());
  const target = {};
  return new Proxy(target, {
    get: (_, key) => Reflect.get(built(), key),
    set: (_, key, value) => Reflect.set(built(), key, value),
    has: (_, key) => Reflect.has(built(), key),
    ownKeys: () => Reflect.ownKeys(built()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(built(), key);
      if (descriptor && !descriptor.configurable && !Reflect.getOwnPropertyDescriptor(target, key)) Reflect.defineProperty(target, key, descriptor);
      return descriptor;
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(built(), key, descriptor) && (descriptor.configurable !== false || Reflect.defineProperty(target, key, descriptor)),
    deleteProperty: (_, key) => Reflect.deleteProperty(built(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(built()),
  }) as S;
}
