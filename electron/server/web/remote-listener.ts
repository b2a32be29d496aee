/**
 * The wire behind the Settings page's Remote access: the same browser host as `photon serve`
 * (the app, its contract, the REST API), on the address, certificate and rate limits the engine
 * was given. Hosts hand `remoteListener(staticDir)` to createEngine; the engine calls it when the
 * user turns remote access on or changes it, and closes what it returns.
 */
import { PhotonError } from '../../../shared/errors.js';
import type { RemoteAccessRefusal } from '../../../shared/remote-access.js';
import type { Engine, RemoteListenConfig, RemoteListener } from '../../engine/index.js';
import { defaultAccessLimits } from '../auth/key-gate.js';
import { loadOrMakeIdentity, loadUserIdentity, TlsFileError, type TlsIdentity } from '../auth/tls-identity.js';
import { startWebServer } from './index.js';
import { hostPart, isLoopback, reachableAddresses } from './listen-address.js';

const fileLabels = { cert: 'certificate file', key: 'private key file' };

export function remoteListener(staticDir: string): (engine: Engine, config: RemoteListenConfig) => Promise<RemoteListener> {
  return async (engine, config) => {
    const identity = await tlsIdentity(engine.dataDir, config);
    const server = await startWebServer({
      engine,
      port: config.port,
      dataDir: engine.dataDir,
      staticDir,
      host: config.address,
      tls: identity,
      limits: { ...defaultAccessLimits, key: config.keyRate, address: config.addressRate },
    });
    const scheme = identity ? 'https' : 'http';
    return {
      port: server.port,
      urls: reachableAddresses(config.address).map((address) => `${scheme}://${hostPart(address)}:${server.port}/`),
      fingerprint256: identity?.fingerprint256 ?? null,
      certificate: config.tls.kind,
      validTo: identity?.validTo ?? null,
      stopAccepting: () => server.stopAccepting(),
      resumeAccepting: () => server.resumeAccepting(),
      close: (options) => server.close(options),
    };
  };
}

async function tlsIdentity(dataDir: string, config: RemoteListenConfig): Promise<TlsIdentity | undefined> {
  if (config.tls.kind === 'none') return undefined;
  if (config.tls.kind === 'generated') return loadOrMakeIdentity(dataDir, isLoopback(config.address) ? [] : reachableAddresses(config.address));
  try {
    return loadUserIdentity(config.tls.certFile, config.tls.keyFile, fileLabels);
  } catch (error) {
    if (error instanceof TlsFileError) throw new PhotonError('invalid', error.message, { field: error.file === 'cert' ? 'certFile' : 'keyFile' } satisfies RemoteAccessRefusal);
    throw error;
  }
}
