import { z } from 'zod';
import { lazySchema } from './lazy-schema.js';
import { parseRate, rateForm } from './rate-text.js';

export { parseRate, rateForm, type RatePolicy } from './rate-text.js';

/**
 * Remote access: the REST API, the browser app and the contract served beyond this app's own
 * window or loopback server, to scripts, CI jobs, another computer or a phone. Off by default. The
 * engine keeps these settings and starts or stops the listener; the host only supplies the wire.
 */

const rateText = lazySchema(() =>
  z
    .string()
    .trim()
    .max(40)
    .refine((text) => parseRate(text) !== undefined, { message: `not a rate; write ${rateForm}` }),
);

/**
 * How the listener proves who it is: a certificate Photon makes and keeps (its fingerprint shown
 * for pinning), the user's own files, or none, which only a loopback address accepts.
 */
export const remoteTlsSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('generated') }).strict(),
    z
      .object({
        kind: z.literal('files'),
        certFile: z.string().trim().min(1, 'give the certificate file (PEM)').max(4096),
        keyFile: z.string().trim().min(1, 'give the private key file (PEM)').max(4096),
      })
      .strict(),
    z.object({ kind: z.literal('none') }).strict(),
  ]),
);
export type RemoteTls = z.infer<typeof remoteTlsSchema>;

export const remoteAccessSettingsSchema = lazySchema(() =>
  z
    .object({
      enabled: z.boolean(),
      /** An IP address of this machine, 0.0.0.0 (or ::) for all of them, or localhost. */
      address: z.string().trim().min(1, 'give an IP address of this machine, or 0.0.0.0 for all').max(100),
      /** 0 picks a free port (the one chosen is in the status). */
      port: z.number().int().min(0).max(65535, 'a port is 0 to 65535'),
      tls: remoteTlsSchema,
      /** Each API key's rate: `600/min` by default, `off` for none. */
      keyRate: rateText,
      /** Each client address's rate, for every request without the app's own token: `off` by default. */
      addressRate: rateText,
    })
    .strict(),
);
export type RemoteAccessSettings = z.infer<typeof remoteAccessSettingsSchema>;

export const defaultRemoteAccessSettings: RemoteAccessSettings = {
  enabled: false,
  address: '0.0.0.0',
  port: 7443,
  tls: { kind: 'generated' },
  keyRate: '600/min',
  addressRate: 'off',
};

/** What the listener is doing now. */
export type RemoteAccessStatus =
  | { state: 'off' }
  /** This engine's host serves no wire (a one-shot CLI command): the settings apply where Photon serves. */
  | { state: 'unavailable'; reason: string }
  | {
      state: 'listening';
      port: number;
      /** Where other machines reach it, e.g. `https://192.168.1.20:7443/`. */
      urls: string[];
      /** The certificate's SHA-256, colon-separated hex, for pinning; null over plain HTTP on loopback. */
      fingerprint256: string | null;
      certificate: 'generated' | 'files' | 'none';
      /** When the certificate ends (null without one). */
      validTo: string | null;
    }
  | { state: 'failed'; reason: string };

export interface RemoteAccessState {
  settings: RemoteAccessSettings;
  status: RemoteAccessStatus;
}

/**
 * What `remote.configure` answers. The answer goes out before the listener it may have come
 * through is closed; `moved` is there when the old addresses stop answering (another address,
 * port or certificate, or remote access turned off), so a client on them knows where to go.
 */
export interface RemoteConfigureResult extends RemoteAccessState {
  moved?: {
    /** The addresses that no longer answer once this reply is delivered. */
    from: string[];
    /** Where the listener answers now (empty when turned off); its certificate is `status.fingerprint256`. */
    to: string[];
  };
}

/**
 * A refusal of the settings names the field it is about, so a form can show it there: `address`,
 * `port`, `tls`, `certFile`, `keyFile`, `keyRate`, `addressRate`.
 */
export interface RemoteAccessRefusal {
  field: 'address' | 'port' | 'tls' | 'certFile' | 'keyFile' | 'keyRate' | 'addressRate';
}
