/**
 * Tab through a canvas's steps first, then its dependencies. xyflow draws edges before nodes in
 * the DOM, so the browser's own order reaches every edge before the first step; this keeps the
 * elements where they are and moves the keyboard in the order a user reads the graph.
 */

const tabbableSelector = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]';

function isTabbable(element: HTMLElement | SVGElement): boolean {
  if (element.tabIndex < 0 || element.closest('[hidden], [inert]')) return false;
  const box = element.getBoundingClientRect();
  return box.width > 0 || box.height > 0;
}

function tabbables(): (HTMLElement | SVGElement)[] {
  return [...document.querySelectorAll<HTMLElement | SVGElement>(tabbableSelector)].filter(isTabbable);
}

/** Steps in the graph's order, then dependencies. */
function graphItems(container: HTMLElement): (HTMLElement | SVGElement)[] {
  const nodes = [...container.querySelectorAll<HTMLElement>('.react-flow__node')].filter(isTabbable);
  const edges = [...container.querySelectorAll<SVGElement>('.react-flow__edge')].filter(isTabbable);
  return [...nodes, ...edges];
}

/** The first tabbable outside the graph after it (forward) or before it (backward). */
function outside(container: HTMLElement, items: readonly Element[], forward: boolean): HTMLElement | SVGElement | undefined {
  const all = tabbables().filter((element) => !items.includes(element));
  const graph = container.querySelector('.react-flow__viewport') ?? container;
  if (forward) return all.find((element) => graph.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING && !graph.contains(element));
  return all.reverse().find((element) => graph.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_PRECEDING && !graph.contains(element));
}

export function startNodesFirstTabOrder(container: HTMLElement): () => void {
  let lastTab: { at: number; backward: boolean } | null = null;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Tab' || event.ctrlKey || event.metaKey || event.altKey) return;
    lastTab = { at: performance.now(), backward: event.shiftKey };
    const items = graphItems(container);
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (index < 0) return;
    const next = index + (event.shiftKey ? -1 : 1);
    const target = items[next] ?? outside(container, items, !event.shiftKey);
    if (!target) return;
    event.preventDefault();
    target.focus();
  };

  // Tabbing in from outside lands wherever the DOM puts it (the first edge going forward, the last
  // step going back): it is moved to the first step, or to the last dependency.
  const onFocusIn = (event: FocusEvent) => {
    const tab = lastTab;
    lastTab = null;
    if (!tab || performance.now() - tab.at > 500) return;
    const items = graphItems(container);
    if (!items.includes(event.target as HTMLElement) || items.includes(event.relatedTarget as HTMLElement)) return;
    const wanted = tab.backward ? items.at(-1) : items[0];
    if (wanted && wanted !== event.target) wanted.focus();
  };

  // On the document, before xyflow's own key handling, and to see the Tab that enters the graph.
  document.addEventListener('keydown', onKeyDown, true);
  container.addEventListener('focusin', onFocusIn);
  return () => {
    document.removeEventListener('keydown', onKeyDown, true);
    container.removeEventListener('focusin', onFocusIn);
  };
}
