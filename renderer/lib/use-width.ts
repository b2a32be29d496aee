import { useCallback, useRef, useState } from 'react';

/** An element's width in CSS pixels, kept current as it resizes; 0 until it is on the page. */
export function useWidth<E extends HTMLElement>(): [ref: (element: E | null) => void, width: number] {
  const [width, setWidth] = useState(0);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((element: E | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!element) return;
    setWidth(element.getBoundingClientRect().width);
    observer.current = new ResizeObserver(([entry]) => {
      if (entry) setWidth(entry.contentRect.width);
    });
    observer.current.observe(element);
  }, []);
  return [ref, width];
}
