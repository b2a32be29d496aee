import { describe, expect, it } from 'vitest';
import { createPhotonStore } from '../../renderer/store/store.js';
import type { Route } from '../../renderer/lib/route.js';
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

describe('leaving a view', () => {
  it('asks the guard before navigate, a link and Back; a refusal keeps the view and its address', () => {
    const store = createPhotonStore();
    const { scope, userGoesTo } = fakeWindow('#/workflows/w1');
    const router = startHashRouter(scope, store);
    const asked: Route[] = [];
    let answer = false;
    const remove = router.guardLeaving((to) => {
      asked.push(to);
      return answer;
    });

    expect(router.navigate({ view: 'run', id: 'r1' })).toBe(false);
    expect(store.getState().route).toEqual({ view: 'workflow', id: 'w1' });
    expect(scope.location.hash).toBe('#/workflows/w1');

    // A link or Back changes the URL before anyone is asked: it is put back.
    userGoesTo('#/agents');
    expect(store.getState().route).toEqual({ view: 'workflow', id: 'w1' });
    expect(scope.location.hash).toBe('#/workflows/w1');
    expect(asked).toEqual([{ view: 'run', id: 'r1' }, { view: 'agents' }]);

    // Staying where one is asks nothing; force skips the question.
    expect(router.navigate({ view: 'workflow', id: 'w1' })).toBe(true);
    expect(router.navigate({ view: 'dashboard' }, { force: true })).toBe(true);
    expect(store.getState().route).toEqual({ view: 'dashboard' });
    expect(asked).toHaveLength(2);

    answer = true;
    userGoesTo('#/runs/r2');
    expect(store.getState().route).toEqual({ view: 'run', id: 'r2' });

    remove();
    answer = false;
    expect(router.navigate({ view: 'home' })).toBe(true);
    expect(scope.location.hash).toBe('#/');
    expect(asked).toHaveLength(3);
  });
});
