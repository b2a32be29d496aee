import { useEffect, useRef, useState } from 'react';

/**
 * `value`, followed at most once every `intervalMs`: the latest value always arrives, at the end
 * of the interval in which it changed. For what is costly to redraw and need not be exact at
 * every frame (which edges move on a canvas of 1,000 steps).
 */
export function useThrottled<T>(value: T, intervalMs: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = last.current + intervalMs - Date.now();
    const timer = setTimeout(
      () => {
        last.current = Date.now();
        setShown(value);
      },
      Math.max(0, wait),
    );
    return () => clearTimeout(timer);
  }, [value, shown, intervalMs]);
  return shown;
}
