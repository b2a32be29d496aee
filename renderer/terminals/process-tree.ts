import type { ProcessTreeSample } from '../../shared/metrics.js';
import type { PhotonStore } from '../store/store.js';

/** A terminal's process tree in the engine's last sample (once a second), if any. */
export function treeOf(store: PhotonStore, id: string): ProcessTreeSample | undefined {
  return store.getState().metrics.snapshot?.processes.find((tree) => tree.terminalId === id);
}

/** The tree from the next sample to arrive; the last known one if none comes within `timeoutMs`. */
export function freshTreeOf(store: PhotonStore, id: string, timeoutMs = 2500): Promise<ProcessTreeSample | undefined> {
  const before = store.getState().metrics.snapshot;
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve(treeOf(store, id));
    };
    const timer = setTimeout(finish, timeoutMs);
    const unsubscribe = store.subscribe((state) => {
      if (state.metrics.snapshot !== before) finish();
    });
  });
}
