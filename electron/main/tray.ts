import { Menu, Tray, nativeImage } from 'electron';
import type { WorkflowSummary } from '../../shared/api.js';
import type { Engine } from '../engine/index.js';
import { buildTrayMenu } from './menu.js';
import { trayMenuModel, trayTooltip, type TrayAction } from './tray-menu.js';

/** What the tray counts, read at each rebuild. */
export interface TrayCounts {
  runningCount: number;
  waitingCount: number;
  approvalsCount: number;
}

/** The tray icon and its menu, rebuilt from the engine's state whenever it may have changed. */
export class PhotonTray {
  private readonly tray: Tray;
  private refreshTimer: NodeJS.Timeout | undefined;
  private destroyed = false;
  private rebuilds = 0;

  constructor(
    iconPath: string,
    private readonly engine: Pick<Engine, 'call'>,
    private readonly counts: () => TrayCounts,
    private readonly run: (action: TrayAction) => void,
  ) {
    const image = nativeImage.createFromPath(iconPath);
    if (process.platform === 'darwin') image.setTemplateImage(true);
    this.tray = new Tray(image);
    this.tray.setToolTip('Photon');
    // Windows opens the window on a click; the menu is on the right button as usual there.
    if (process.platform === 'win32') this.tray.on('click', () => this.run({ kind: 'showWindow' }));
    this.tray.setContextMenu(Menu.buildFromTemplate([{ label: 'Photon', enabled: false }]));
    void this.rebuild();
  }

  /** Coalesces bursts of run updates and waits into one rebuild. */
  refresh(): void {
    if (this.destroyed || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.rebuild();
    }, 150);
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.refreshTimer);
    this.tray.destroy();
  }

  private async rebuild(): Promise<void> {
    const rebuild = ++this.rebuilds;
    let workflows: WorkflowSummary[] = [];
    try {
      workflows = await this.engine.call('workflows.list', undefined);
    } catch (error) {
      console.error('photon: the tray could not list workflows:', error);
    }
    // A slower, older rebuild must not overwrite a newer menu.
    if (this.destroyed || rebuild !== this.rebuilds) return;
    const { runningCount, waitingCount, approvalsCount } = this.counts();
    this.tray.setContextMenu(buildTrayMenu(trayMenuModel({ runningCount, waitingCount, approvalsCount, workflows, platform: process.platform }), this.run));
    this.tray.setToolTip(trayTooltip(runningCount, waitingCount, approvalsCount));
  }
}
