/**
 * What a host may start before it loads the engine (electron/engine/index.js and all it brings:
 * about 150 ms of a `photon run`). Kept to the few modules it needs, so importing it costs almost
 * nothing.
 */
import { ptyHost } from './terminals/pty-host.js';

/**
 * Starts the terminal host now, for a command about to run steps: the host's own start then overlaps
 * the engine's loading instead of delaying the first step (`photon run` of one `true` step: that
 * step took about 85 ms, 16 ms with the host started early).
 */
export function startTerminalHost(): void {
  ptyHost().warmUp();
}

/** Ends the terminal host if no terminal is live: the command's steps are over (see PtyHost.release). */
export function releaseTerminalHost(): void {
  ptyHost().release();
}
