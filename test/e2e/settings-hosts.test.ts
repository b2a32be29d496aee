// The Settings page's remote hosts end to end: `photon serve`, Chromium and a real OpenSSH server
// the test starts. A host added there shows its unknown key with the fingerprint `ssh-keygen -lf`
// gives for the server's key, is trusted only after the user sees and confirms it, then shows
// connected with a latency and the tools found there; bad input is refused at its field; the clone
// of the repository is set and changed; a key that changed is shown beside the old one and replaces
// it only by a deliberate confirmation; Remove asks.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshdAvailable, startSshd, type TestSshd } from '../engine/hosts/sshd.js';
import type { SavedAgent } from '../../shared/agents.js';
import type { HostInfo } from '../../shared/hosts.js';
import type { ServerOptions } from './support/photon-server.js';
import { clickEmptyCanvas, node, openOneStepWorkflow } from './support/canvas-page.js';
import { callServer } from './support/rpc.js';
import { ui, useUiHarness } from './support/ui-harness.js';

const slow = { timeout: 60_000 };
const serverOptions: ServerOptions = { env: {} };
let sshd: TestSshd | undefined;
let dir: string | undefined;

describe.skipIf(!sshdAvailable)('Settings: remote hosts', () => {
  // Before the harness's own beforeAll, so the server starts with the test's ssh config.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'photon-hosts-ui-'));
    // A Codex on the host, found through the PATH the host gives sessions.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'codex'), '#!/bin/sh\necho "codex-cli 0.42.0"\n');
    chmodSync(join(bin, 'codex'), 0o755);
    sshd = await startSshd(join(dir, 'sshd'), { path: `${bin}:/usr/bin:/bin` });
    serverOptions.env!.PHOTON_SSH_CONFIG = sshd.clientConfig;
  });
  const harness = useUiHarness(serverOptions);
  afterAll(async () => {
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('adds a host, trusts its key after showing the fingerprint, shows it connected with its tools, and removes it', async () => {
    const server = sshd!;
    const { context, page } = await harness.openApp();
    try {
      await page.getByRole('link', { name: 'Settings' }).click();
      const hosts = page.getByRole('region', { name: 'Remote hosts' });
      await hosts.getByText('No remote hosts yet.').waitFor(ui);

      const form = hosts.getByRole('form', { name: 'Add a host' });
      await form.getByLabel('Name').fill('devbox');
      await form.getByLabel('Address').fill('ftp://somewhere');
      await form.getByText('"ftp://somewhere" is not an ssh address; write ssh://user@host or ssh://user@host:port').waitFor(ui);
      expect(await form.getByLabel('Address').getAttribute('aria-invalid')).toBe('true');
      expect(await form.getByRole('button', { name: 'Add host' }).isDisabled()).toBe(true);

      await form.getByLabel('Address').fill(server.url);
      await form.getByLabel('Clone on the host (optional)').fill('src/app');
      await form.getByText('repository path "src/app" on the host must be absolute (/srv/repo) or under the home there (~/repo)').waitFor(ui);
      expect(await form.getByRole('button', { name: 'Add host' }).isDisabled()).toBe(true);
      await form.getByLabel('Clone on the host (optional)').fill('~/src/app');
      await form.getByRole('button', { name: 'Add host' }).click();
      const row = hosts.getByRole('row', { name: /^devbox / });
      await row.getByText('Unknown host key').waitFor(slow);
      expect(await row.getByRole('cell').nth(0).textContent()).toBe(server.url);
      expect(await row.getByRole('cell').nth(1).textContent()).toBe('~/src/app');
      expect(await row.getByRole('cell').nth(2).textContent()).toBe(`Unknown host keyED25519 ${server.hostKeyFingerprint}`);

      // The engine's refusal lands at the field it is about: the name is taken.
      await form.getByLabel('Name').fill('devbox');
      await form.getByLabel('Address').fill(server.url);
      await form.getByRole('button', { name: 'Add host' }).click();
      await form.getByText('a host named "devbox" exists already; remove it first (photon hosts remove devbox) or choose another name').waitFor(ui);
      expect(await form.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');

      await row.getByRole('button', { name: 'Trust the key of devbox…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Trust the host key of “devbox”?' });
      await dialog.getByLabel('Fingerprint', { exact: true }).waitFor(slow);
      expect(await dialog.getByLabel('Fingerprint', { exact: true }).textContent()).toBe(server.hostKeyFingerprint);
      const accept = dialog.getByRole('button', { name: 'Trust this key' });
      expect(await accept.isDisabled()).toBe(true);
      await dialog.getByLabel("I compared it: it is the host's fingerprint").check();
      await accept.click();
      await dialog.waitFor({ state: 'detached', ...slow });
      await row.getByText('Connected').waitFor(slow);
      const cells = await row.getByRole('cell').allTextContents();
      expect(cells[3]).toMatch(/^\d+ ms$/);
      expect(cells[4]).toBe('—');

      // The clone moves: set from the row, refused at the field when relative.
      await row.getByRole('button', { name: 'Repository on devbox…' }).click();
      const place = page.getByRole('dialog', { name: 'Repository on “devbox”' });
      await place.getByLabel('Clone on the host').fill('app');
      await place.getByText('repository path "app" on the host must be absolute (/srv/repo) or under the home there (~/repo)').waitFor(ui);
      await place.getByLabel('Clone on the host').fill('/srv/app');
      await place.getByRole('button', { name: 'Save' }).click();
      await place.waitFor({ state: 'detached', ...ui });
      await row.getByRole('cell', { name: '/srv/app' }).waitFor(ui);
      expect((await callServer(harness.server, 'hosts.list') as HostInfo[])[0]).toMatchObject({ repoPath: '/srv/app', address: server.url });

      await row.getByRole('button', { name: 'Tools on devbox' }).click();
      const tools = hosts.getByRole('group', { name: 'Tools on devbox' });
      await tools.getByText('Codex: 0.42.0').waitFor(slow);
      await tools.getByText('Claude Code: not installed').waitFor(ui);

      // An agent placed on the host from the agent form, kept there when edited again.
      await page.getByRole('link', { name: 'Agents', exact: true }).click();
      await page.getByRole('button', { name: 'New agent' }).click();
      const agentForm = page.getByRole('dialog', { name: 'New agent' });
      await agentForm.getByLabel('Name', { exact: true }).fill('Box shell');
      await agentForm.getByLabel('Tool', { exact: true }).selectOption('shell');
      await agentForm.getByLabel('Runs on', { exact: true }).selectOption('devbox');
      await agentForm.getByRole('button', { name: 'Create agent' }).click();
      await agentForm.waitFor({ state: 'hidden', ...ui });
      const saved = () => callServer(harness.server, 'agents.list').then((agents) => (agents as SavedAgent[]).find((agent) => agent.id === 'box-shell'));
      expect(await saved()).toMatchObject({ location: 'remote', host: 'devbox' });
      await page.getByRole('region', { name: 'Box shell' }).getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit agent “Box shell”' });
      await edit.getByLabel('Model', { exact: true }).fill('any');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await edit.waitFor({ state: 'hidden', ...ui });
      expect(await saved()).toMatchObject({ location: 'remote', host: 'devbox', model: 'any' });

      // A step placed on the host from the canvas inspector's "Runs on", saved with it.
      await openOneStepWorkflow(page, harness.filesDir, 'On the box');
      await node(page, 1).click();
      const inspector = page.getByRole('complementary', { name: 'Inspector' });
      const runsOn = inspector.getByLabel('Runs on', { exact: true });
      expect(await runsOn.inputValue()).toBe('');
      await inspector.getByText('On this machine.').waitFor(ui);
      await runsOn.selectOption('devbox');
      await inspector.getByText(`Over ssh on devbox (${server.url}); its working folder is a folder there.`).waitFor(ui);
      await clickEmptyCanvas(page);
      await page.keyboard.press('Control+s');
      const savedStep = async () => {
        const listed = (await callServer(harness.server, 'workflows.list')) as { id: string; name: string }[];
        const id = listed.find((workflow) => workflow.name === 'On the box')!.id;
        return ((await callServer(harness.server, 'workflows.get', { id })) as { workflow: { workflow: { host?: string }[] } }).workflow.workflow[0];
      };
      await expect.poll(savedStep, ui).toMatchObject({ host: 'devbox' });
      await page.getByRole('link', { name: 'Settings' }).click();

      // The server is reinstalled: a new key on the same address. Both keys are shown, and the new
      // one replaces the old only once the user confirms it was checked.
      const oldFingerprint = server.hostKeyFingerprint;
      const newFingerprint = await server.replaceHostKey();
      await hosts.getByRole('button', { name: 'Check connections' }).click();
      await row.getByText('Host key changed', { exact: true }).waitFor(slow);
      expect(await row.getByRole('cell').nth(2).textContent()).toBe(`Host key changedTrusted${oldFingerprint}NowED25519 ${newFingerprint}`);
      expect(await row.getByRole('button', { name: 'Trust the key of devbox…' }).count()).toBe(0);
      await row.getByRole('button', { name: 'Replace the key of devbox…' }).click();
      const replace = page.getByRole('dialog', { name: 'Replace the host key of “devbox”?' });
      await replace.getByLabel('New fingerprint', { exact: true }).waitFor(slow);
      expect(await replace.getByLabel('Old fingerprint', { exact: true }).textContent()).toBe(oldFingerprint);
      expect(await replace.getByLabel('New fingerprint', { exact: true }).textContent()).toBe(newFingerprint);
      const confirmReplace = replace.getByRole('button', { name: 'Replace the old key' });
      expect(await confirmReplace.isDisabled()).toBe(true);
      await replace.getByLabel("The host's administrator confirmed this new fingerprint").check();
      await confirmReplace.click();
      await replace.waitFor({ state: 'detached', ...slow });
      await row.getByText('Connected').waitFor(slow);
      expect(await row.getByRole('cell').nth(2).textContent()).toBe('Connected');

      await row.getByRole('button', { name: 'Remove devbox' }).click();
      const confirm = page.getByRole('dialog', { name: 'Remove host "devbox"?' });
      await confirm.getByRole('button', { name: 'Remove' }).click();
      await hosts.getByText('No remote hosts yet.').waitFor(ui);
    } finally {
      await context.close();
    }
  }, 180_000);
});
