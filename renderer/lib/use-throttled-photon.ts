import { useEffect, useState } from 'react';
import type { PhotonState } from '../store/store.js';
import { useServices } from './app-context.js';

/**
 * What `select` reads from the store, followed at most once every `intervalMs` (the latest value
 * always arrives, at the end of the interval in which it changed). Unlike useThrottled over
 * usePhoton, the component does not render at each change it lets pass: it subscribes itself and
 * renders only when the followed value is taken. `select` must be stable (useCallback).
 */
export function useThrottledPhoton<T>(select: (state: PhotonState) => T, intervalMs: number): T {
  const { store } = useServices();
  const [value, setValue] = useState(() => select(store.getState()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const take = () => {
      timer = undefined;
      last = Date.now();
      setValue(() => select(store.getState()));
    };
    take();
    const stop = store.subscribe((state, previous) => {
      if (timer !== undefined || Object.is(select(state), select(previous))) return;
      timer = setTimeout(take, Math.max(0, last + intervalMs - Date.now()));
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [store, select, intervalMs]);
  return value;
}
