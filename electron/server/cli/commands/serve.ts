import { existsSync } from 'node:fs';
import { integerOption, stringOption, type ParsedArgs } from '../args.js';
import { defaultAccessLimits, type AccessLimits } from '../../auth/key-gate.js';
import { parseRatePolicy } from '../../auth/rate-limiter.js';
import { parseRate, type RatePolicy } from '../../../../shared/rate-text.js';
import { dataDirOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { builtRendererDir, defaultServePort } from '../served-app.js';
import { onStopSignal } from '../signals.js';
import { UsageError } from '../usage-error.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the Photon app to a browser on 127.0.0.1 (or, over HTTPS, beyond it).',
  usage: '[--port N] [--listen ADDRESS [--tls-cert FILE --tls-key FILE]] [--key-rate RATE] [--address-rate RATE] [--max-runs N] [--max-agents N] [--data-dir DIR]',
  description: [
    'Serves the built app, its contract over WebSocket and the REST API (/api/v1) on 127.0.0.1,',
    'behind a token. Open the address it prints (it carries the token). Build the app first with',
    '`npm run build`, or use `npm run web`, which builds and serves. Ctrl-C stops it.',
    '',
    '--listen ADDRESS serves on an address of this machine (0.0.0.0 for all) for other machines,',
    'over HTTPS only: with your certificate (--tls-cert, --tls-key), or one Photon makes and keeps',
    'in the data folder, whose SHA-256 fingerprint it prints for clients to pin. Other machines sign',
    'in with API keys (`photon keys create`); the token works from this machine only.',
    'Rates (600/min, 20/s, off) limit each API key (--key-rate) and each client address without the',
    'token (--address-rate); by default those of the Settings page (Remote access), which start at',
    '600/min per key and off per address.',
    '',
    'Remote access turned on in the Settings page also listens, with its own address and certificate,',
    'while this server runs.',
  ].join('\n'),
  positionals: [],
  options: {
    port: { type: 'string', value: 'N', description: `Port (default ${defaultServePort}; 0 picks a free one).` },
    listen: { type: 'string', value: 'ADDRESS', description: 'Listen on this address of the machine (0.0.0.0: all) over HTTPS, for other machines.' },
    'tls-cert': { type: 'string', value: 'FILE', description: 'With --listen: your certificate (PEM); default: one Photon makes.' },
    'tls-key': { type: 'string', value: 'FILE', description: 'With --listen: the private key of --tls-cert (PEM).' },
    'key-rate': { type: 'string', value: 'RATE', description: "Requests each API key may make (default: the Settings page's, 600/min; off for none)." },
    'address-rate': { type: 'string', value: 'RATE', description: "Requests each client address may make without the token (default: the Settings page's, off)." },
    'max-runs': { type: 'string', value: 'N', description: 'Runs at once; more wait queued, the highest priority first (default: no limit).' },
    'max-agents': { type: 'string', value: 'N', description: 'AI agents running at once, across runs (1-1024; default: the cap saved in Settings, else the CPU cores).' },
    'data-dir': dataDirOption,
  },
  async run({ values }) {
    // Before the engine and the web host load, whose loading alone took V8's semi-spaces from 1 to 8
    // MB before createEngine (electron/engine/young-generation.ts).
    (await import('../../../engine/young-generation.js')).keepYoungGenerationSmall({ holdUntilLoaded: true });
    const port = integerOption(values, 'port', 0, 65535) ?? defaultServePort;
    const maxActiveRuns = integerOption(values, 'max-runs', 1, 10_000);
    const maxAgents = integerOption(values, 'max-agents', 1, 1024);
    const listen = await listenOptions(values);
    const rates = rateOptions(values);
    // Loaded only here, so the other commands never pay for (or depend on) the web host, and
    // `photon --help` not for the engine either.
    const { createEngine, resolveDataDir } = await import('../../../engine/index.js');
    const dataDir = resolveDataDir(stringOption(values, 'data-dir'));
    const { startWebServer } = await import('../../web/index.js');
    const { hostPart, reachableAddresses } = await import('../../web/listen-address.js');
    const { loadOrMakeIdentity, loadUserIdentity } = await import('../../auth/tls-identity.js');
    const { remoteListener } = await import('../../web/remote-listener.js');
    const engine = await createEngine({ dataDir, host: 'server', maxActiveRuns, maxAgents, remoteListener: remoteListener(builtRendererDir) });
    // Waits for the Settings page's listener, if on, so it and this one never race for a port.
    const remote = await engine.call('remote.get', undefined);
    const limits: AccessLimits = {
      ...defaultAccessLimits,
      key: rates.key !== undefined ? rates.key : (parseRate(remote.settings.keyRate) ?? null),
      address: rates.address !== undefined ? rates.address : (parseRate(remote.settings.addressRate) ?? null),
    };

    let server: Awaited<ReturnType<typeof startWebServer>>;
    try {
      const tls = listen && (listen.certFile ? loadUserIdentity(listen.certFile, listen.keyFile!) : await loadOrMakeIdentity(dataDir, reachableAddresses(listen.address)));
      server = await startWebServer({ engine, port, dataDir, staticDir: builtRendererDir, limits, ...(listen ? { host: listen.address, tls } : {}) });
      if (tls) {
        const where = reachableAddresses(listen!.address).map((a) => `https://${hostPart(a)}:${server.port}/`);
        process.stdout.write(`Listening beyond this machine at ${where.join(', ')}\n`);
        process.stdout.write(`Certificate SHA-256 fingerprint (pin this): ${tls.fingerprint256}\n`);
        if (tls.source.kind === 'generated') process.stdout.write(`(made by Photon, kept in ${tls.source.dir}, valid until ${tls.validTo})\n`);
        process.stdout.write('Other machines sign in with an API key: photon keys create NAME --scope read|run|admin\n');
      }
    } catch (error) {
      await engine.close();
      process.stderr.write(`photon serve: ${error instanceof Error ? error.message : String(error)}\n`);
      return exitCodes.failed;
    }
    if (remote.status.state === 'listening') {
      process.stdout.write(`Remote access (Settings) at ${remote.status.urls.join(', ')}${remote.status.fingerprint256 ? `, certificate SHA-256 ${remote.status.fingerprint256}` : ''}\n`);
    } else if (remote.status.state === 'failed') {
      process.stderr.write(`photon serve: remote access (Settings) is not listening: ${remote.status.reason}\n`);
    }
    process.stdout.write(`Photon is running at ${server.url}\n`);
    if (!existsSync(`${builtRendererDir}index.html`)) {
      process.stderr.write(`photon serve: the app is not built (${builtRendererDir} has no index.html); run \`npm run build\`, or use \`npm run web\`\n`);
    }

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      onStopSignal((received, count) => {
        if (count === 1) resolve(received);
        else process.stderr.write('photon serve: still stopping; waiting for running steps to end\n');
      });
    });
    process.stderr.write(`photon serve: ${signal}, stopping\n`);
    await server.close();
    // Runs still going are left interrupted, their processes dead; `photon resume` goes on with them.
    await engine.close();
    return exitCodes.ok;
  },
};

/** --listen and its certificate, checked before anything starts. */
async function listenOptions(values: ParsedArgs['values']): Promise<{ address: string; certFile?: string; keyFile?: string } | undefined> {
  const address = stringOption(values, 'listen');
  const certFile = stringOption(values, 'tls-cert');
  const keyFile = stringOption(values, 'tls-key');
  if (address === undefined) {
    if (certFile !== undefined || keyFile !== undefined) throw new UsageError('--tls-cert and --tls-key go with --listen ADDRESS (on 127.0.0.1 Photon serves plain HTTP)');
    return undefined;
  }
  const { checkListenAddress, isLoopback } = await import('../../web/listen-address.js');
  const problem = checkListenAddress(address);
  if (problem) throw new UsageError(problem);
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('give both --tls-cert FILE and --tls-key FILE, or neither (Photon then makes a certificate)');
  // Loopback needs no TLS: the plain server of old, with the same token.
  if (isLoopback(address)) return undefined;
  return { address, certFile, keyFile };
}

/** The rates given as flags (null: off); undefined where the saved settings decide. */
function rateOptions(values: ParsedArgs['values']): { key?: RatePolicy | null; address?: RatePolicy | null } {
  try {
    const key = stringOption(values, 'key-rate');
    const address = stringOption(values, 'address-rate');
    return {
      key: key !== undefined ? parseRatePolicy(key, '--key-rate') : undefined,
      address: address !== undefined ? parseRatePolicy(address, '--address-rate') : undefined,
    };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
