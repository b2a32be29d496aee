import type { StateCreator } from 'zustand';
import type { MetricsSnapshot } from '../../shared/metrics.js';
import type { PhotonState } from './store.js';

/**
 * The latest metrics snapshot, for the dashboard's cards. Only the newest sample lives here:
 * the charts' history is kept in ring buffers beside the charts, out of React and the store.
 */
export interface MetricsSlice {
  metrics: {
    snapshot: MetricsSnapshot | null;
    /** Why the engine gave no snapshot (e.g. it has no metrics), until one arrives. */
    unavailable: string | null;
  };
  /** A snapshot from `metrics.snapshot` or a `metrics.tick`; one older than the held one is ignored. */
  metricsReceived(snapshot: MetricsSnapshot): void;
  metricsUnavailable(reason: string): void;
}

type MetricsState = MetricsSlice['metrics'];

/** A reply can arrive after a newer tick; the newer sample wins. */
export function withSnapshot(state: MetricsState, snapshot: MetricsSnapshot): MetricsState {
  const held = state.snapshot;
  if (held && Date.parse(snapshot.at) < Date.parse(held.at)) return state;
  return { snapshot, unavailable: null };
}

export const createMetricsSlice: StateCreator<PhotonState, [], [], MetricsSlice> = (set) => ({
  metrics: { snapshot: null, unavailable: null },
  metricsReceived: (snapshot) =>
    set((s) => {
      const metrics = withSnapshot(s.metrics, snapshot);
      return metrics === s.metrics ? s : { metrics };
    }),
  metricsUnavailable: (reason) => set((s) => ({ metrics: { ...s.metrics, unavailable: reason } })),
});
