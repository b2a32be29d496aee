import { Overlays } from '../palette/Overlays.js';
import { TerminalDock } from '../terminals/TerminalDock.js';
import { Notices } from './Notices.js';
import { RouteView } from './RouteView.js';
import { Sidebar } from './Sidebar.js';
import { StatusBar } from './StatusBar.js';

export function App() {
  return (
    <div className="app">
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
