import { ptyHost } from '../../../electron/engine/terminals/pty-host.js';

type HostInternals = {
  sendFrame(frame: Buffer): void;
  report(type: number, id: number, payload: Buffer): void;
  baseEnvironment?: Record<string, string>;
};
const spawnFrame = 1;
const exitFrame = 3;

/**
 * The variables a spawn frame sets, as pty-host.ts's spawnFrame writes them: [length u32][type u8]
 * [id u32], counts of folders, arguments, variables set and unset (after cols and rows), then the
 * program, its folder, the folders, the arguments and NAME=value for each variable set, each
 * NUL-terminated.
 */
function variablesSet(frame: Buffer): Record<string, string> {
  const payload = frame.subarray(9);
  const [folders, args, set] = [8, 12, 16].map((at) => payload.readUInt32BE(at));
  const strings = payload.subarray(24).toString('utf8').split('\0');
  const first = 2 + folders! + args!;
  return Object.fromEntries(strings.slice(first, first + set!).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

/**
 * The engine's spawn requests to its terminal host and the host's exit reports, heard as they go
 * while `work` runs: `onSpawn` with the step a request starts and the terminal's id, `onExit`
 * with the id of the terminal that ended.
 */
export async function watchHost<T>(work: () => Promise<T>, hooks: { onSpawn?: (step: number, id: number) => void; onExit?: (id: number) => void }): Promise<T> {
  const host = ptyHost() as unknown as HostInternals;
  const { sendFrame, report } = host;
  host.sendFrame = function (frame) {
    if (frame.readUInt8(4) === spawnFrame) {
      // A spawn carries its environment as changes to the one the host holds: a step number equal to that one's is not among them.
      const set = variablesSet(frame);
      hooks.onSpawn?.(Number(set.PHOTON_STEP ?? host.baseEnvironment?.PHOTON_STEP), frame.readUInt32BE(5));
    }
    return sendFrame.call(this, frame);
  };
  host.report = function (type, id, payload) {
    if (type === exitFrame) hooks.onExit?.(id);
    return report.call(this, type, id, payload);
  };
  try {
    return await work();
  } finally {
    host.sendFrame = sendFrame;
    host.report = report;
  }
}
