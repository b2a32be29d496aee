import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { integerOption, stringOption } from '../args.js';
import { dataDirOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { onStopSignal } from '../signals.js';

const defaultPort = 7420;
/** The renderer electron-vite builds: <repo>/out/renderer. */
const staticDir = fileURLToPath(new URL('../../../../out/renderer/', import.meta.url));

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the Photon app to a browser on 127.0.0.1.',
  usage: '[--port N] [--data-dir DIR]',
  description: [
    'Serves the built app and its contract over WebSocket on 127.0.0.1 only, behind a token.',
    'Open the address it prints (it carries the token). Build the app first with `npm run build`,',
    'or use `npm run web`, which builds and serves. Ctrl-C stops it.',
  ].join('\n'),
  positionals: [],
  options: {
    port: { type: 'string', value: 'N', description: `Port on 127.0.0.1 (default ${defaultPort}; 0 picks a free one).` },
    'data-dir': dataDirOption,
  },
  async run({ values }) {
    const port = integerOption(values, 'port', 0, 65535) ?? defaultPort;
    // Loaded only here, so the other commands never pay for (or depend on) the web host, and
    // `photon --help` not for the engine either.
    const { createEngine, resolveDataDir } = await import('../../../engine/index.js');
    const dataDir = resolveDataDir(stringOption(values, 'data-dir'));
    const { startWebServer } = await import('../../web/index.js');
    const engine = await createEngine({ dataDir, host: 'server' });

    let server: Awaited<ReturnType<typeof startWebServer>>;
    try {
      server = await startWebServer({ engine, port, dataDir, staticDir });
    } catch (error) {
      await engine.close();
      process.stderr.write(`photon serve: ${error instanceof Error ? error.message : String(error)}\n`);
      return exitCodes.failed;
    }
    process.stdout.write(`Photon is running at http://127.0.0.1:${server.port}/?token=${server.token}\n`);
    if (!existsSync(`${staticDir}index.html`)) {
      process.stderr.write(`photon serve: the app is not built (${staticDir} has no index.html); run \`npm run build\`, or use \`npm run web\`\n`);
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
