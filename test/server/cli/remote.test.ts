/**
 * `photon run`, `runs` and `show` against a running engine: a real `photon serve` on loopback with
 * its own data folder, and an API key made for it with `photon keys create`. The CLI under test is
 * given no data folder at all (an empty HOME), so whatever it shows came through the REST API.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photon, startPhoton, startServe, tempFolder, waitUntil, writeWorkflow } from './helpers.js';

const temp = tempFolder();
const serverData = join(temp.dir, 'server-data');
const home = join(temp.dir, 'client-home');
let server: ReturnType<typeof startServe>;
let url = '';
let apiKey = '';

// The client's own data folder would be under this HOME: it must stay empty.
const clientEnv = () => ({ HOME: home, XDG_CONFIG_HOME: join(home, '.config') });

beforeAll(async () => {
  mkdirSync(home, { recursive: true });
  const made = await photon(['keys', 'create', 'ci', '--scope', 'run', '--data-dir', serverData]);
  expect(made.code).toBe(0);
  apiKey = made.stdout.trim();
  server = startServe(serverData);
  url = `http://127.0.0.1:${(await server.ready).port}`;
}, 60_000);

afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.done;
  temp.cleanup();
});

const timestamped = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z {2}/;

describe('photon commands with --server', () => {
  it('runs a two-step workflow on the server with its live progress, exit 0; runs and show read it back from there', async () => {
    const file = writeWorkflow(temp.dir, 'Remote two', [
      { step: 1, command: 'echo from-the-server', label: 'First' },
      { step: 2, command: 'echo "second got {{steps.1.output}}"', dependencies: [1] },
    ]);
    const result = await photon(['run', file, '--server', url, '--api-key', apiKey], { env: clientEnv() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(timestamped);
    expect(lines[0]).toMatch(/run \w+ started: Remote two \(2 steps, concurrency 4\)/);
    expect(result.stdout).toMatch(/Z {2}step 1 "First" running \(attempt 1\)\n/);
    // A step's duration reads "95ms", or "1.1s" once a loaded machine makes it a second or more.
    expect(result.stdout).toMatch(/Z {2}step 1 "First" succeeded \(\d+(ms|\.\ds)\)\n/);
    expect(result.stdout).toMatch(/Z {2}step 2 succeeded \(\d+(ms|\.\ds)\)\n/);
    const runId = /run (\w+) succeeded: 2 succeeded of 2 steps in /.exec(lines.at(-1)!)?.[1];
    expect(runId).toBeDefined();

    // The run is in the server's history, not in one the CLI made for itself.
    const onServer = await photon(['runs', '--json', '--data-dir', serverData]);
    expect(JSON.parse(onServer.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ runId, status: 'succeeded' })]));

    // The key from the environment, as a CI job sets it.
    const env = { ...clientEnv(), PHOTON_SERVER: url, PHOTON_API_KEY: apiKey };
    const runs = await photon(['runs'], { env });
    expect(runs.code).toBe(0);
    expect(runs.stdout).toMatch(new RegExp(`^${runId} +succeeded +2/2 .+ Remote two$`, 'm'));
    const shown = await photon(['show', runId!.slice(0, 8), '--json'], { env });
    expect(shown.code).toBe(0);
    const json = JSON.parse(shown.stdout) as { runId: string; status: string; steps: { step: number; output: string | null }[] };
    expect(json).toMatchObject({ runId, status: 'succeeded' });
    expect(json.steps.map((s) => s.output)).toEqual(['from-the-server', 'second got from-the-server']);
  }, 90_000);

  it('exits 1 when a step fails, with what failed and hints that name the server', async () => {
    const file = writeWorkflow(temp.dir, 'Remote fails', [
      { step: 1, command: 'echo "broken build" && exit 3' },
      { step: 2, command: 'true', dependencies: [1] },
    ]);
    const result = await photon(['run', file, '--server', url], { env: { ...clientEnv(), PHOTON_API_KEY: apiKey } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/step 1 failed \(exited with code 3; 1 attempt\)/);
    expect(result.stdout).toMatch(/step 2 skipped/);
    expect(result.stdout).toMatch(/run \w+ failed: 0 succeeded, 1 failed, 1 skipped of 2 steps/);
    expect(result.stdout).toContain('    | broken build');
    expect(result.stdout).toMatch(new RegExp(`Details: photon show \\w+ --server ${url}\\n`));
  });

  it('Ctrl-C cancels the run on the server, its step dead, exit 130', async () => {
    const stepPid = join(temp.dir, 'remote-step.pid');
    const file = writeWorkflow(temp.dir, 'Remote long', [{ step: 1, command: `echo $$ > ${stepPid}; exec sleep 300` }]);
    const run = startPhoton(['run', file, '--server', url, '--api-key', apiKey], { env: clientEnv() });
    try {
      await waitUntil(() => existsSync(stepPid) && readFileSync(stepPid, 'utf8').endsWith('\n'), 30_000, 'the step to start on the server');
      const pid = Number(readFileSync(stepPid, 'utf8'));
      run.child.kill('SIGINT');
      const result = await run.done;
      expect(result.code).toBe(130);
      expect(result.stdout).toContain('Ctrl-C: cancelling the run');
      expect(() => process.kill(pid, 0)).toThrow();
      const runId = /run (\w+) cancelled/.exec(result.stdout)?.[1];
      const shown = JSON.parse((await photon(['show', runId!, '--json', '--data-dir', serverData])).stdout) as { status: string };
      expect(shown.status).toBe('cancelled');
    } finally {
      // Should it fail, the client must not outlive the test.
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  }, 90_000);

  it('a wrong key: exit 2, saying the server refused it and naming PHOTON_API_KEY; nothing runs', async () => {
    const file = writeWorkflow(temp.dir, 'Never runs', [{ step: 1, command: 'true' }]);
    const before = JSON.parse((await photon(['runs', '--json', '--data-dir', serverData])).stdout) as unknown[];
    const result = await photon(['run', file, '--server', url, '--api-key', 'photon_00000000_wrong'], { env: clientEnv() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`photon run: the Photon server at ${url} refused the API key`);
    expect(result.stderr).toContain('--api-key KEY or PHOTON_API_KEY');
    const after = JSON.parse((await photon(['runs', '--json', '--data-dir', serverData])).stdout) as unknown[];
    expect(after).toHaveLength(before.length);

    const noKey = await photon(['runs', '--server', url], { env: clientEnv() });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain(`photon runs: --server ${url} needs an API key: --api-key KEY or PHOTON_API_KEY`);
  }, 90_000);

  it('an unreachable server: exit 1, naming its URL', async () => {
    const file = writeWorkflow(temp.dir, 'Nowhere', [{ step: 1, command: 'true' }]);
    // A port that was free a moment ago: nothing listens there now.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const nowhere = `http://127.0.0.1:${port}`;
    const result = await photon(['run', file, '--server', nowhere, '--api-key', apiKey], { env: clientEnv() });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`photon run: cannot reach the Photon server at ${nowhere} (ECONNREFUSED); is \`photon serve\` running there, and is --server (or PHOTON_SERVER) its address?\n`);
  });
});
