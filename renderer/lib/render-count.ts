/**
 * Counts a component's renders where a test asked for it by defining
 * `window.__photonRenders = {}` before the app loads (the big-run guards in test/e2e: a run's
 * events must not render the graph or the timeline at every frame). React's Profiler reports
 * nothing in a production build, and these tests run the production build; elsewhere this is
 * one property read per render.
 */
export function countRender(name: string): void {
  const counts = (globalThis as { __photonRenders?: Record<string, number> }).__photonRenders;
  if (counts) counts[name] = (counts[name] ?? 0) + 1;
}
