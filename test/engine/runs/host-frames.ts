import { ptyHost } from '../../../electron/engine/terminals/pty-host.js';

type HostInternals = {
  send(type: number, id: number, payload: string): void;
  report(type: number, id: number, payload: Buffer): void;
  baseEnvironment?: Record<string, string>;
};
const spawnFrame = 1;
const exitFrame = 3;

/**
 * The engine's spawn requests to its terminal host and the host's exit reports, heard as they go
 * while `work` runs: `onSpawn` with the step a request starts and the terminal's id, `onExit`
 * with the id of the terminal that ended.
 */
export async function watchHost<T>(work: () => Promise<T>, hooks: { onSpawn?: (step: number, id: number) => void; onExit?: (id: number) => void }): Promise<T> {
  const host = ptyHost() as unknown as HostInternals;
  const { send, report } = host;
  host.send = function (type, id, payload) {
    if (type === spawnFrame) {
      // A spawn carries its environment as changes to the one the host holds: a step number equal to that one's is not among them.
      const { set } = (JSON.parse(payload) as { env: { set: Record<string, string> } }).env;
      hooks.onSpawn?.(Number(set.PHOTON_STEP ?? host.baseEnvironment?.PHOTON_STEP), id);
    }
    return send.call(this, type, id, payload);
  };
  host.report = function (type, id, payload) {
    if (type === exitFrame) hooks.onExit?.(id);
    return report.call(this, type, id, payload);
  };
  try {
    return await work();
  } finally {
    host.send = send;
    host.report = report;
  }
}
