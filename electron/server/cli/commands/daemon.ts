import { integerOption, stringOption } from '../args.js';
import { dataDirOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { builtRendererDir, defaultServePort } from '../served-app.js';
import { onStopSignal } from '../signals.js';

export const daemonCommand: Command = {
  name: 'daemon',
  summary: 'Run Photon headless in the background: `photon serve` plus schedules and triggers firing.',
  usage: '[--port N] [--max-runs N] [--data-dir DIR]',
  description: [
    'A long-running engine on 127.0.0.1: the app, its contract and the REST API as `photon serve`',
    'serves them (behind the token in DATA_DIR/server-token), and the workflows\' schedules, file',
    'triggers and webhooks firing. It writes DATA_DIR/daemon.json with its address, so `photon`',
    'commands on the same data folder (schedules, run, runs, show, approvals…) talk to it instead of',
    'opening the database themselves (`photon run` with --worktree, --trust-setup or --max-agents,',
    'and `resume`, still run in their own process).',
    'Start it at login with the files in resources/daemon/ (see the README). SIGTERM or Ctrl-C',
    'stops it; runs still going are left interrupted, to resume.',
  ].join('\n'),
  positionals: [],
  options: {
    port: { type: 'string', value: 'N', description: `Port (default ${defaultServePort}; 0 picks a free one). Webhook URLs carry it: keep it fixed.` },
    'max-runs': { type: 'string', value: 'N', description: 'Runs at once; more wait queued, the highest priority first (default: no limit).' },
    'data-dir': dataDirOption,
  },
  async run({ values }) {
    // As `photon serve` does: before the engine and the web host load (electron/engine/young-generation.ts).
    (await import('../../../engine/young-generation.js')).keepYoungGenerationSmall({ holdUntilLoaded: true });
    const port = integerOption(values, 'port', 0, 65535) ?? defaultServePort;
    const maxActiveRuns = integerOption(values, 'max-runs', 1, 10_000);
    const { createEngine, resolveDataDir } = await import('../../../engine/index.js');
    const { findDaemon, writeDiscovery, removeDiscovery, discoveryFile } = await import('../../daemon/index.js');
    const dataDir = resolveDataDir(stringOption(values, 'data-dir'));
    const running = findDaemon(dataDir);
    if (running) {
      process.stderr.write(`photon daemon: one already runs on ${dataDir} (pid ${running.pid}, ${running.url}); stop it first (kill ${running.pid})\n`);
      return exitCodes.failed;
    }
    const { startWebServer } = await import('../../web/index.js');
    const engine = await createEngine({ dataDir, host: 'daemon', maxActiveRuns, schedules: { fire: true } });
    let server: Awaited<ReturnType<typeof startWebServer>>;
    try {
      server = await startWebServer({ engine, port, dataDir, staticDir: builtRendererDir });
    } catch (error) {
      await engine.close();
      process.stderr.write(`photon daemon: ${error instanceof Error ? error.message : String(error)}\n`);
      return exitCodes.failed;
    }
    const url = `http://127.0.0.1:${server.port}`;
    const { version } = await engine.call('system.info', undefined);
    writeDiscovery(dataDir, { url, pid: process.pid, startedAt: new Date().toISOString(), version });
    const schedules = await engine.call('schedules.list', undefined);
    const triggers = await engine.call('triggers.list', undefined);
    process.stdout.write(`Photon daemon is running at ${server.url}\n`);
    process.stdout.write(`${schedules.filter((s) => s.enabled).length} schedules and ${triggers.filter((t) => t.enabled).length} triggers on; commands on ${dataDir} find it through ${discoveryFile(dataDir)}\n`);

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      onStopSignal((received, count) => {
        if (count === 1) resolve(received);
        else process.stderr.write('photon daemon: still stopping; waiting for running steps to end\n');
      });
    });
    process.stderr.write(`photon daemon: ${signal}, stopping\n`);
    // First, so no command connects to a daemon that is going away.
    removeDiscovery(dataDir);
    await server.close();
    await engine.close();
    return exitCodes.ok;
  },
};
