/**
 * Gives the keyboard back to what had it before a dialog opened. A dialog that is removed from the
 * page (or whose content is) cannot hand focus back itself, and it fell to the page's body: a
 * keyboard user was sent back to the top of the page. Focus that went somewhere on purpose (a new
 * terminal, a view's title) is left there, and so is an opener that no longer exists.
 */
export function returnFocus(opener: Element | null): void {
  if (!(opener instanceof HTMLElement) || !opener.isConnected) return;
  const now = document.activeElement;
  if (now && now !== document.body) return;
  opener.focus({ preventScroll: true });
}
