import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { methods } from '../../shared/api.js';

// shared/api.ts spreads the method groups of shared/api/*.ts into one map; a name written in two
// groups would silently lose one entry to the other, so each group must arrive whole and alone.
describe('the contract gathered from shared/api/', () => {
  it('holds every method of every group as that group wrote it, each name in one group only', async () => {
    const folder = new URL('../../shared/api/', import.meta.url);
    const groups: [string, Record<string, unknown>][] = [];
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.ts')).sort()) {
      const exports = (await import(new URL(file, folder).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exports)) if (name.endsWith('Methods')) groups.push([`${file} ${name}`, value as Record<string, unknown>]);
    }
    expect(groups.length).toBeGreaterThan(5);
    const owner = new Map<string, string>();
    for (const [group, entries] of groups) {
      for (const [name, entry] of Object.entries(entries)) {
        expect(owner.get(name), `${name} is in ${owner.get(name)} and ${group}`).toBeUndefined();
        owner.set(name, group);
        expect(methods[name as keyof typeof methods], `${name} of ${group} is not what shared/api.ts serves`).toBe(entry);
      }
    }
    expect([...owner.keys()].sort()).toEqual(Object.keys(methods).sort());
  });
});
