/**
 * The remote access listener's life: started with the engine when the saved settings say so,
 * started again with new settings when the user saves them, closed before the engine stops. The
 * engine decides when and with what; the host that owns the wire (the browser host's HTTPS server)
 * only supplies `listen`. Changes run one at a time, so two quick saves never race for the port.
 *
 * A change may come through the very listener it replaces (a phone saving the settings), so the
 * old listener is never closed under the request: it stops taking connections (freeing its port
 * when the new one needs it), the answer is given, and only then does it end what it still holds.
 */
import { PhotonError } from '../../../shared/errors.js';
import {
  parseRate,
  type RatePolicy,
  type RemoteAccessRefusal,
  type RemoteAccessSettings,
  type RemoteAccessState,
  type RemoteAccessStatus,
  type RemoteConfigureResult,
  type RemoteTls,
} from '../../../shared/remote-access.js';
import { isLoopback, listenAddressProblem, plainHttpProblem } from './listen-address.js';
import { loadSettings, saveSettings } from './settings-file.js';

/** What the host's listener is given: the settings, checked, with the rates parsed. */
export interface RemoteListenConfig {
  address: string;
  port: number;
  tls: RemoteTls;
  keyRate: RatePolicy | null;
  addressRate: RatePolicy | null;
}

/** A listener the host started. */
export interface RemoteListener {
  readonly port: number;
  readonly urls: string[];
  readonly fingerprint256: string | null;
  readonly certificate: 'generated' | 'files' | 'none';
  readonly validTo: string | null;
  /** Takes no new connection and frees the port; the connections already open carry on. */
  stopAccepting(): Promise<void>;
  /** After `stopAccepting`, listens on the same address and port again, keeping the connections it held. */
  resumeAccepting(): Promise<void>;
  /** Ends every connection it holds; `drain`: once the answers in progress are written (bounded by the host). */
  close(options?: { drain?: boolean }): Promise<void>;
}

/**
 * Starts a listener, or throws: a PhotonError whose details name the field at fault (an unreadable
 * certificate), or the bind's own error (EADDRINUSE, EACCES), which is put into words here.
 */
export type StartRemoteListener = (config: RemoteListenConfig) => Promise<RemoteListener>;

export interface RemoteAccessOptions {
  dataDir: string;
  /** Absent where the engine's host serves no wire (a one-shot CLI command). */
  listen?: StartRemoteListener;
}

const noWire: RemoteAccessStatus = {
  state: 'unavailable',
  reason: 'this Photon (a command line command) serves nothing; the desktop app and photon serve listen with these settings when they start',
};

export class RemoteAccess {
  private settings: RemoteAccessSettings;
  private status: RemoteAccessStatus = { state: 'off' };
  private listener: RemoteListener | undefined;
  /** Replaced listeners still writing their last answers; closing the engine cuts them short. */
  private readonly retiring = new Set<RemoteListener>();
  /** The change in progress; the next one waits for it. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: RemoteAccessOptions) {
    const loaded = loadSettings(options.dataDir);
    this.settings = loaded.settings;
    if (!loaded.ok) this.status = { state: 'failed', reason: loaded.problem };
  }

  /** Starts the listener if the saved settings ask for it; a failure is kept in the status, never thrown. */
  start(): Promise<void> {
    return this.serially(async () => {
      if (!this.settings.enabled || this.status.state === 'failed') return;
      if (!this.options.listen) {
        this.status = noWire;
        return;
      }
      try {
        await this.open(this.settings);
      } catch (error) {
        this.status = { state: 'failed', reason: describe(error, this.settings).message };
      }
    });
  }

  get(): Promise<RemoteAccessState> {
    return this.serially(async () => this.state());
  }

  /**
   * Checks, starts and saves new settings. A refusal (a bad address, plain HTTP beyond loopback, a
   * port in use, a certificate that cannot be read) throws an `invalid` PhotonError naming the
   * field, and leaves the saved settings and the running listener as they were. The listener being
   * replaced is closed only after the answer (see the top of this file).
   */
  configure(next: RemoteAccessSettings): Promise<RemoteConfigureResult> {
    return this.serially(async () => {
      check(next);
      const unchanged = JSON.stringify(next) === JSON.stringify(this.settings);
      if (unchanged && (this.status.state === 'listening' || (this.status.state === 'off' && !next.enabled))) return this.state();
      const before = this.status;
      const old = this.listener;
      if (!next.enabled || !this.options.listen) {
        await old?.stopAccepting();
        this.listener = undefined;
        saveSettings(this.options.dataDir, next);
        this.settings = next;
        this.status = next.enabled ? noWire : { state: 'off' };
        this.retire(old);
        return this.answer(before);
      }
      // Only a listener on the same port stands in the new one's way; any other starts beside it,
      // so a refusal leaves the old one exactly as it was.
      const samePort = old !== undefined && next.port !== 0 && next.port === old.port;
      if (samePort) await old.stopAccepting();
      let fresh: RemoteListener;
      try {
        fresh = await this.listen(next);
      } catch (error) {
        if (samePort) await this.reopen(old);
        else if (!old && this.status.state !== 'failed') this.status = { state: 'off' };
        throw describe(error, next);
      }
      await old?.stopAccepting();
      saveSettings(this.options.dataDir, next);
      this.settings = next;
      this.use(fresh);
      this.retire(old);
      return this.answer(before);
    });
  }

  /** Closes the listener; later changes are refused. */
  close(): Promise<void> {
    return this.serially(async () => {
      this.closed = true;
      await this.shut();
      await Promise.all([...this.retiring].map((listener) => listener.close()));
    });
  }

  private state(): RemoteAccessState {
    return { settings: this.settings, status: this.status };
  }

  /** The state, and where the listener went when the addresses it answered on stopped answering. */
  private answer(before: RemoteAccessStatus): RemoteConfigureResult {
    const state = this.state();
    if (before.state !== 'listening') return state;
    const now = this.status.state === 'listening' ? this.status : undefined;
    const same = now !== undefined && now.fingerprint256 === before.fingerprint256 && JSON.stringify(now.urls) === JSON.stringify(before.urls);
    return same ? state : { ...state, moved: { from: before.urls, to: now?.urls ?? [] } };
  }

  /**
   * The old listener let go of its port for settings that were refused: it takes connections there
   * again, and the ones it held (the refused caller's among them) never noticed.
   */
  private async reopen(old: RemoteListener): Promise<void> {
    try {
      await old.resumeAccepting();
    } catch (error) {
      this.listener = undefined;
      this.retire(old);
      this.status = { state: 'failed', reason: describe(error, this.settings).message };
    }
  }

  /** Lets a replaced listener finish the answers it is writing (the one to this change among them), then closes it. */
  private retire(listener: RemoteListener | undefined): void {
    if (!listener) return;
    this.retiring.add(listener);
    void listener
      .close({ drain: true })
      .catch((error: unknown) => console.error('remote access: closing the replaced listener failed:', error))
      .finally(() => this.retiring.delete(listener));
  }

  private async open(settings: RemoteAccessSettings): Promise<void> {
    this.use(await this.listen(settings));
  }

  private listen(settings: RemoteAccessSettings): Promise<RemoteListener> {
    return this.options.listen!({
      address: settings.address,
      port: settings.port,
      tls: settings.tls,
      keyRate: parseRate(settings.keyRate) ?? null,
      addressRate: parseRate(settings.addressRate) ?? null,
    });
  }

  private use(listener: RemoteListener): void {
    this.listener = listener;
    this.status = { state: 'listening', port: listener.port, urls: listener.urls, fingerprint256: listener.fingerprint256, certificate: listener.certificate, validTo: listener.validTo };
  }

  private async shut(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    if (this.status.state === 'listening') this.status = { state: 'off' };
    await listener?.close();
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closed) throw new PhotonError('unavailable', 'the engine is closing; remote access can no longer change');
      return work();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function refuse(field: RemoteAccessRefusal['field'], message: string): PhotonError {
  return new PhotonError('invalid', message, { field } satisfies RemoteAccessRefusal);
}

function check(settings: RemoteAccessSettings): void {
  const problem = listenAddressProblem(settings.address);
  if (problem) throw refuse('address', problem);
  if (settings.tls.kind === 'none' && !isLoopback(settings.address)) throw refuse('tls', plainHttpProblem(settings.address));
}

/** A failure to start, as the user reads it, placed at its field where it has one. */
function describe(error: unknown, settings: RemoteAccessSettings): PhotonError {
  if (error instanceof PhotonError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${settings.address} port ${settings.port}`;
  if (code === 'EADDRINUSE') return refuse('port', `${where} is in use by another program; choose another port, or 0 for any free one`);
  if (code === 'EACCES') return refuse('port', `${where} needs privileges this user lacks (ports below 1024 do); choose a port from 1024 up`);
  if (code === 'EADDRNOTAVAIL') return refuse('address', `${settings.address} is not an address of this machine now; choose another, or 0.0.0.0 for all`);
  return new PhotonError('internal', `remote access could not start on ${where}: ${error instanceof Error ? error.message : String(error)}`);
}
