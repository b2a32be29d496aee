import { createContext } from 'react';

/**
 * Set when the user moves to another view, so that view's title takes focus once it has loaded
 * (screen readers announce it, and Tab goes on from there). Not set on the first page load.
 */
export const TitleFocusContext = createContext<{ pending: boolean }>({ pending: false });
