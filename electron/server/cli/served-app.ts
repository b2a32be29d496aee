import { fileURLToPath } from 'node:url';

/** Where `photon serve` and `photon daemon` listen unless --port says otherwise; webhook URLs and scripts carry it. */
export const defaultServePort = 7420;

/** The renderer electron-vite builds (<repo>/out/renderer/), which both serve to the browser. */
export const builtRendererDir = fileURLToPath(new URL('../../../out/renderer/', import.meta.url));
