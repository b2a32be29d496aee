/**
 * Where the HTTP servers in front of this engine listen (`photon serve`, `photon daemon`, the
 * desktop app's remote access), told by each server as it starts and stops: a webhook is a URL on
 * one of them, so its full address is only known here, not guessed from a default port.
 */
export class ServedAddresses {
  private readonly bases: string[] = [];

  /** A server listens at `base` (`http://127.0.0.1:PORT`); the function returned says it stopped. */
  add(base: string): () => void {
    const entry = base.replace(/\/+$/, '');
    this.bases.push(entry);
    return () => {
      const at = this.bases.indexOf(entry);
      if (at >= 0) this.bases.splice(at, 1);
    };
  }

  /** The server started first (a daemon's own before its remote access); null while none listens. */
  get current(): string | null {
    return this.bases[0] ?? null;
  }
}
