import { describe, expect, it } from 'vitest';
import { createPhotonStore } from '../../renderer/store/store.js';
import { startHashRouter } from '../../renderer/sync/hash-router.js';

/** Just enough of a window: a location hash and hashchange listeners. */
function fakeWindow(hash: string) {
  const listeners = new Set<() => void>();
  const scope = {
    location: { hash },
    addEventListener: (_: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_: string, listener: () => void) => listeners.delete(listener),
  };
  return { scope: scope as unknown as Window, userGoesTo: (next: string) => ((scope.location.hash = next), listeners.forEach((l) => l())) };
}

describe('the hash router', () => {
  it('takes the first route from the URL, follows hash changes and navigates by writing the hash', () => {
    const store = createPhotonStore();
    const { scope, userGoesTo } = fakeWindow('#/runs/r1');
    const router = startHashRouter(scope, store);
    expect(store.getState().route).toEqual({ view: 'run', id: 'r1' });

    userGoesTo('#/workflows/w1');
    expect(store.getState().route).toEqual({ view: 'workflow', id: 'w1' });

    router.navigate({ view: 'home' });
    expect(scope.location.hash).toBe('#/');
    expect(store.getState().route).toEqual({ view: 'home' });

    router.stop();
    userGoesTo('#/runs/r2');
    expect(store.getState().route).toEqual({ view: 'home' });
  });
});
