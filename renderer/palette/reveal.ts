/**
 * Bringing what the palette chose into view once its view has rendered. The palette lives above
 * the views and knows only the store; these find the chosen thing in the page by its id.
 */

function whenPresent(find: () => HTMLElement | null, then: (element: HTMLElement) => void, frames = 60): void {
  const element = find();
  if (element) then(element);
  else if (frames > 0) requestAnimationFrame(() => whenPresent(find, then, frames - 1));
}

/** Puts the keyboard in a terminal tab's view (xterm reads keys from its hidden textarea). */
export function focusTerminal(id: string): void {
  whenPresent(
    () => document.getElementById(`terminal-panel-${id}`)?.querySelector<HTMLElement>('textarea') ?? null,
    (input) => input.focus(),
  );
}

/** Scrolls the Agents page to an agent's panel and moves focus to its heading. */
export function showAgentPanel(agentId: string): void {
  whenPresent(
    () => document.querySelector<HTMLElement>(`[data-agent-id="${CSS.escape(agentId)}"]`),
    (panel) => {
      panel.scrollIntoView({ block: 'center' });
      const heading = panel.querySelector<HTMLElement>('h3');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus();
      }
    },
  );
}
