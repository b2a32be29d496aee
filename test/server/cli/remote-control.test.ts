/**
 * Controlling a running engine from another terminal or machine, over real HTTP: `photon cancel`,
 * `photon resume`, `photon approvals`, `approve` and `deny` with --server and --api-key (or
 * PHOTON_SERVER and PHOTON_API_KEY) against a real `photon serve` with its own data folder. The CLI
 * under test has no data folder of its own (an empty HOME): what it does happens on the server.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalItem } from '../../../shared/approvals.js';
import { photon, startServe, tempFolder } from './helpers.js';

const temp = tempFolder();
const serverData = join(temp.dir, 'server-data');
const home = join(temp.dir, 'client-home');
let server: ReturnType<typeof startServe>;
let url = '';
let runKey = '';
let readKey = '';

const clientEnv = (extra: Record<string, string> = {}) => ({ ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), PHOTON_DATA_DIR: '', ...extra });
const remote = (key = runKey) => ['--server', url, '--api-key', key];

beforeAll(async () => {
  mkdirSync(home, { recursive: true });
  runKey = (await photon(['keys', 'create', 'ci', '--scope', 'run', '--data-dir', serverData])).stdout.trim();
  readKey = (await photon(['keys', 'create', 'viewer', '--scope', 'read', '--data-dir', serverData])).stdout.trim();
  server = startServe(serverData);
  url = `http://127.0.0.1:${(await server.ready).port}`;
}, 60_000);

afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.done;
  temp.cleanup();
});

/** Starts a workflow on the server through its API, as a CI job or the app would. */
async function startOnServer(workflow: unknown): Promise<string> {
  const response = await fetch(`${url}/api/v1/operations`, { method: 'POST', headers: { 'x-api-key': runKey, 'content-type': 'application/json' }, body: JSON.stringify(workflow) });
  const body = (await response.json()) as { data: { id: string } };
  expect(response.status).toBe(201);
  return body.data.id;
}

async function statusOnServer(runId: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/operations/${runId}`, { headers: { 'x-api-key': runKey } });
  return ((await response.json()) as { data: { status: string; steps: { status: string }[] } }).data.status;
}

async function waitForStatus(runId: string, status: string, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await statusOnServer(runId)) !== status) {
    if (Date.now() > deadline) throw new Error(`run ${runId} never became ${status} (${what})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('photon controls a running engine with --server', () => {
  it('cancels a running run there, then resumes it there and follows it to its end', async () => {
    const marker = join(temp.dir, 'go-on');
    const runId = await startOnServer({
      name: 'Remote stop and go',
      workflow: [
        { step: 1, platform: 'shell', inputs: { command: 'echo first' } },
        // Waits until the marker exists: running when cancelled, quick once resumed.
        { step: 2, label: 'Wait', platform: 'shell', inputs: { command: `while [ ! -f ${marker} ]; do sleep 0.1; done; echo went-on` }, dependencies: [1] },
      ],
    });
    await waitForStatus(runId, 'running', 'started');

    const readOnly = await photon(['cancel', runId, ...remote(readKey)], { env: clientEnv() });
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr).toContain(`the Photon server at ${url} refused DELETE /api/v1/operations/${runId}`);
    expect(readOnly.stderr).toContain('needs a wider scope');
    expect(await statusOnServer(runId)).toBe('running');

    const cancelled = await photon(['cancel', runId, ...remote()], { env: clientEnv() });
    expect(cancelled.stderr).toBe('');
    expect(cancelled).toMatchObject({ code: 0 });
    expect(cancelled.stdout).toMatch(new RegExp(`^run ${runId} cancelled: [01] of 2 steps had succeeded; resume it with photon resume ${runId} --server ${url}\\n$`));
    expect(await statusOnServer(runId)).toBe('cancelled');

    const again = await photon(['cancel', runId, ...remote()], { env: clientEnv() });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`operation ${runId} is not running (it cancelled); only a running operation can be cancelled`);

    writeFileSync(marker, '');
    // The server and key from the environment, as a CI job sets them.
    const resumed = await photon(['resume', runId], { env: clientEnv({ PHOTON_SERVER: url, PHOTON_API_KEY: runKey }) });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/step 2 "Wait" succeeded/);
    expect(resumed.stdout.trim().split('\n').at(-1)).toMatch(/run \w+ succeeded: 2 succeeded of 2 steps in /);
    expect(await statusOnServer(runId)).toBe('succeeded');
    // Nothing was written where the client's own history would be.
    expect(existsSync(join(home, '.config', 'Photon'))).toBe(false);
  }, 120_000);

  it('lists the gates waiting there and approves or denies them; an unknown one is refused by name', async () => {
    const gated = (name: string) => ({
      name,
      workflow: [
        { step: 1, label: 'Gate', platform: 'approval', inputs: { message: `Ship ${name}?` } },
        { step: 2, platform: 'shell', inputs: { command: 'echo shipped' }, dependencies: [1] },
      ],
    });
    const approvedRun = await startOnServer(gated('alpha'));
    const deniedRun = await startOnServer(gated('beta'));
    let waiting: ApprovalItem[] = [];
    const deadline = Date.now() + 60_000;
    while (waiting.length < 2 && Date.now() < deadline) {
      const listed = await photon(['approvals', '--json', ...remote(readKey)], { env: clientEnv() });
      expect(listed.code).toBe(0);
      waiting = JSON.parse(listed.stdout) as ApprovalItem[];
      if (waiting.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const byRun = new Map(waiting.map((item) => [item.runId, item]));
    const alpha = byRun.get(approvedRun)!;
    const beta = byRun.get(deniedRun)!;
    expect(alpha).toMatchObject({ kind: 'gate', status: 'waiting', title: 'Ship alpha?' });

    const table = await photon(['approvals', ...remote(readKey)], { env: clientEnv() });
    expect(table.stdout).toContain(alpha.id);
    expect(table.stdout).toContain('Ship beta?');

    const approved = await photon(['approve', alpha.id, 'no-such-request', ...remote()], { env: clientEnv() });
    expect(approved.code).toBe(1);
    expect(approved.stdout).toBe(`${alpha.id}: allowed (Ship alpha?)\n`);
    expect(approved.stderr).toMatch(/^no-such-request: no approval request no-such-request: list them with photon approvals/);
    await waitForStatus(approvedRun, 'succeeded', 'approved');

    const denied = await photon(['deny', beta.id, '--message', 'not this week', ...remote()], { env: clientEnv() });
    expect(denied).toMatchObject({ code: 0, stdout: `${beta.id}: denied (Ship beta?)\n` });
    await waitForStatus(deniedRun, 'failed', 'denied');

    const answeredAgain = await photon(['approve', alpha.id, ...remote()], { env: clientEnv() });
    expect(answeredAgain.code).toBe(1);
    expect(answeredAgain.stderr).toContain(`approval ${alpha.id} cannot be answered`);
  }, 120_000);

  it('says cancel needs a server, before anything else', async () => {
    const result = await photon(['cancel', 'abc'], { env: clientEnv() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('photon cancel asks the Photon running the run, and no `photon daemon` runs on this data folder: give --server URL --api-key KEY (or PHOTON_SERVER and PHOTON_API_KEY)');
  });
});
