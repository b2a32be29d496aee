import { parseRoute, routeHref, sameRoute, type Route } from '../lib/route.js';
import type { PhotonStore } from '../store/store.js';

/** The URL hash is the source of the route; the store mirrors it for the views. */
export function startHashRouter(scope: Window, store: PhotonStore): { navigate(route: Route): void; stop(): void } {
  const sync = () => {
    const route = parseRoute(scope.location.hash);
    if (!sameRoute(route, store.getState().route)) store.getState().setRoute(route);
  };
  sync();
  scope.addEventListener('hashchange', sync);
  return {
    navigate(route) {
      const href = routeHref(route);
      if (scope.location.hash !== href) scope.location.hash = href;
      sync();
    },
    stop: () => scope.removeEventListener('hashchange', sync),
  };
}
