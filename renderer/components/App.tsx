import { Overlays } from '../palette/Overlays.js';
import { TerminalDock } from '../terminals/TerminalDock.js';
import { Notices } from './Notices.js';
import { RouteView } from './RouteView.js';
import { Sidebar } from './Sidebar.js';
import { StatusBar } from './StatusBar.js';

/**
 * The view's title takes the keyboard (where a view opened from the sidebar starts too), else the
 * main area for as long as it holds it: a main area always focusable would take focus from every
 * click on the page, and the canvas's keys listen on the page's body.
 */
function skipToPage(): void {
  const main = document.getElementById('main');
  if (!main) return;
  const title = main.querySelector<HTMLElement>('h1[tabindex]');
  if (title) {
    title.focus();
    return;
  }
  main.tabIndex = -1;
  main.addEventListener('blur', () => main.removeAttribute('tabindex'), { once: true });
  main.focus();
}

export function App() {
  return (
    <div className="app">
      {/* First in the tab order: past the sidebar's every workflow, run and session in one key. */}
      <button type="button" className="button skip-link" onClick={skipToPage}>
        Skip to the page
      </button>
      <Sidebar />
      <main className="main" id="main">
        <RouteView />
      </main>
      <TerminalDock />
      <StatusBar />
      <Notices />
      <Overlays />
    </div>
  );
}
