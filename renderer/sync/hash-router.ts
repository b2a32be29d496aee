import { parseRoute, routeHref, sameRoute, type Route } from '../lib/route.js';
import type { PhotonStore } from '../store/store.js';

/** Asked before the route changes to `to`; false keeps the current view (e.g. the user chose to stay with unsaved work). */
export type LeaveGuard = (to: Route) => boolean;

export interface HashRouter {
  /** Goes to `route` unless a leave guard refuses; `force` skips the guard. True when the route is now `route`. */
  navigate(route: Route, options?: { force?: boolean }): boolean;
  /** Asks `guard` before every later route change, whether from navigate, a link or the Back button; returns its removal. */
  guardLeaving(guard: LeaveGuard): () => void;
  stop(): void;
}

/** The URL hash is the source of the route; the store mirrors it for the views. */
export function startHashRouter(scope: Window, store: PhotonStore): HashRouter {
  const guards = new Set<LeaveGuard>();
  const current = () => store.getState().route;
  const mayGo = (to: Route) => sameRoute(to, current()) || [...guards].every((guard) => guard(to));

  const sync = () => {
    const route = parseRoute(scope.location.hash);
    if (sameRoute(route, current())) return;
    if (mayGo(route)) store.getState().setRoute(route);
    // A link or Back already changed the URL: put back the address of the view that stays.
    else scope.location.hash = routeHref(current());
  };
  sync();
  scope.addEventListener('hashchange', sync);
  return {
    navigate(route, options = {}) {
      if (!options.force && !mayGo(route)) return false;
      // Set first, so the hashchange this causes finds the route already taken.
      if (!sameRoute(route, current())) store.getState().setRoute(route);
      const href = routeHref(route);
      if (scope.location.hash !== href) scope.location.hash = href;
      return true;
    },
    guardLeaving(guard) {
      guards.add(guard);
      return () => void guards.delete(guard);
    },
    stop: () => scope.removeEventListener('hashchange', sync),
  };
}
