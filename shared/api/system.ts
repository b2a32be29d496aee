import { z } from 'zod';
import { auditListParams, keyCreateParams, keyRevokeParams, type ApiKeyInfo, type AuditEntry, type CreatedApiKey } from '../access.js';
import { metricNames, type MetricSeries, type MetricsSnapshot } from '../metrics.js';
import { remoteAccessSettingsSchema, type RemoteAccessState, type RemoteConfigureResult } from '../remote-access.js';
import { epochMs, lazyMethods, noParams, returns } from './schema.js';

/** The engine itself: metrics, what it is and where it runs, API keys, the audit log, remote access. */
export const systemMethods = lazyMethods({
  /** The latest sample and today's counters. */
  'metrics.snapshot': { params: () => noParams, result: returns<MetricsSnapshot>() },
  /** A metric over time, in buckets of `step` seconds; `from` and `to` are epoch milliseconds. */
  'metrics.series': {
    params: () => z
      .object({
        metric: z.enum(metricNames),
        from: epochMs,
        to: epochMs,
        step: z.number().int().min(1).max(86_400),
      })
      .strict()
      .refine((p) => p.from <= p.to, { message: 'from must not be after to' })
      .refine((p) => (p.to - p.from) / 1000 / p.step <= 10_000, { message: 'too many buckets: widen step or narrow from..to (at most 10,000)' }),
    result: returns<MetricSeries>(),
  },

  'system.info': { params: () => noParams, result: returns<SystemInfo>() },

  /** API keys by name, prefix, scope and last use (revoked and expired ones included, marked so). */
  'keys.list': { params: () => noParams, result: returns<ApiKeyInfo[]>() },
  /** Makes a key; the answer is the only place its secret ever appears. A name already in use by an active key is refused. */
  'keys.create': { params: () => keyCreateParams, result: returns<CreatedApiKey>() },
  /** Revokes the active key with this name or prefix, at once: its next request is refused. */
  'keys.revoke': { params: () => keyRevokeParams, result: returns<ApiKeyInfo>() },
  /** The audit log of security events, newest first. */
  'audit.list': { params: () => auditListParams, result: returns<AuditEntry[]>() },
  /** Remote access (the API, the app and the contract served beyond this app): its saved settings and what its listener is doing. */
  'remote.get': { params: () => noParams, result: returns<RemoteAccessState>() },
  /**
   * Saves remote access settings and starts, restarts or stops the listener to match. A refusal
   * (an address not on this machine, plain HTTP beyond loopback, a port in use, a certificate that
   * cannot be read) is `invalid` with `details.field`, and changes nothing. The answer is delivered
   * before the old listener closes, even to a caller that came through it; `moved` says where to reconnect.
   */
  'remote.configure': { params: () => z.object({ settings: remoteAccessSettingsSchema }).strict(), result: returns<RemoteConfigureResult>() },
});

export interface SystemInfo {
  version: string;
  dataDir: string;
  platform: string;
  /** Platforms this engine can run now. */
  runnablePlatforms: string[];
  /** Where the engine runs: the desktop app, the browser host (`photon serve`), `photon daemon` (which desktop windows may use too) or a command. */
  host: 'electron' | 'server' | 'daemon' | 'cli';
}
