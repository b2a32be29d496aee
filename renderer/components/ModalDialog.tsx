import { useEffect, useRef, type ReactNode } from 'react';
import { returnFocus } from '../lib/return-focus.js';

interface ModalDialogProps {
  className: string;
  /** The id of the element that names the dialog, its title. */
  labelledBy: string;
  /** The id of the element that says what it asks, where there is one. */
  describedBy?: string;
  /** Escape was pressed: the owner decides whether and how the dialog goes (it is shown while mounted). */
  onCancel(): void;
  children: ReactNode;
}

/**
 * A modal `<dialog>` shown for as long as it is mounted: opened with showModal (focus trapped, the
 * page behind inert), closed when unmounted. Escape does not close it by itself, so a dialog never
 * disappears while its owner still thinks it is open.
 */
export function ModalDialog({ className, labelledBy, describedBy, onCancel, children }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      returnFocus(opener);
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={className}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {children}
    </dialog>
  );
}
