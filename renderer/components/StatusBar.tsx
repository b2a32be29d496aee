import { isDesktopWindow } from '../client/pick-transport.js';
import { usePhoton } from '../lib/app-context.js';
import { hostWords } from '../lib/host-words.js';
import { NotificationsControl } from '../notifications/NotificationsControl.js';
import { selectRunningCount } from '../store/selectors.js';
import { ConnectionIndicator } from './ConnectionIndicator.js';

export function StatusBar() {
  const running = usePhoton(selectRunningCount);
  const system = usePhoton((s) => s.system);

  return (
    <footer className="status-bar">
      <ConnectionIndicator />
      <span className="status-item" aria-label={`${running} ${running === 1 ? 'run' : 'runs'} running`}>
        <span aria-hidden="true" className={running > 0 ? 'spin' : undefined}>
          ◔
        </span>{' '}
        <span aria-hidden="true">{running} running</span>
      </span>
      <NotificationsControl />
      {system && (
        <span className="status-item status-right">
          Photon {system.version} · {hostWords(system.host, isDesktopWindow(window)).short}
        </span>
      )}
    </footer>
  );
}
