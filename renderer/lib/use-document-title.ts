import { useEffect } from 'react';

/** The window title follows the view, so windows and tabs tell themselves apart. */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · Photon` : 'Photon';
  }, [title]);
}
