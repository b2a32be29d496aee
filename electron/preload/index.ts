// The preload: runs sandboxed before the page and gives it `window.photon` with `invoke` and `on`,
// nothing else. Built as CommonJS: a sandboxed preload cannot be an ES module.
import { contextBridge, ipcRenderer } from 'electron';
import { bridgeGlobalName } from '../../shared/bridge.js';
import { createBridge } from './bridge.js';

const bridge = createBridge(ipcRenderer);

contextBridge.exposeInMainWorld(bridgeGlobalName, {
  invoke: bridge.invoke,
  on: bridge.on,
});
