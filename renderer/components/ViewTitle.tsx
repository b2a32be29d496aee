import { useContext, useEffect, useRef, type ReactNode } from 'react';
import { TitleFocusContext } from '../lib/title-focus.js';

/** A view's h1; it takes focus when the user has just navigated to the view. */
export function ViewTitle({ children }: { children: ReactNode }) {
  const focus = useContext(TitleFocusContext);
  const ref = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!focus.pending) return;
    focus.pending = false;
    ref.current?.focus();
  }, [focus]);

  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
