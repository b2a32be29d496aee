/**
 * An agent's secrets at run time: read from the keychain right before its tool starts, a missing
 * one failing the step with its name and the fix, a blank one never passed; without any
 * keychain, the clear `unavailable` answer instead of a plaintext fallback; and a keychain that
 * never answers holds up neither a step's timeout nor a cancel, and is given up on after a time
 * limit (20 s unless set).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundled } from '../../fixtures/bundled.js';
import { keychainReady, useStandInSandbox } from '../agents/stand-in-engine.js';
import { makeTempDir, removeDir, repoRoot, stepOf, waitUntil } from '../helpers.js';

describe.skipIf(!keychainReady)("an agent's secrets in a run (real keychain: run through scripts/run-tests.js)", () => {
  const sandbox = useStandInSandbox('agent-secrets', { env: { PHOTON_STANDIN_LOGGED_IN: '1' } });

  const runWith = async (secrets: { secret: string; variable: string }[]) => {
    const { engine, work } = sandbox.current;
    await engine.call('agents.save', { agent: { id: 'keyed', name: 'Keyed', tool: 'claude-code', secrets } });
    const { runId } = await engine.call('runs.start', {
      workflow: { name: 'Keyed', workflow: [{ step: 1, platform: 'claude-code', agent: 'keyed', inputs: { prompt: 'Hello' }, dependencies: [] }] },
      baseDir: work,
    });
    await engine.waitForRun(runId);
    return engine.call('runs.get', { runId });
  };

  it('reads each secret into its variable when the step starts, so a changed value is used at once', async () => {
    const { engine } = sandbox.current;
    await engine.call('secrets.set', { name: 'ANTHROPIC_KEY', value: 'first-value-1234' });
    await runWith([{ secret: 'ANTHROPIC_KEY', variable: 'ANTHROPIC_API_KEY' }]);
    await engine.call('secrets.set', { name: 'ANTHROPIC_KEY', value: 'second-value-5678' });
    const detail = await runWith([{ secret: 'ANTHROPIC_KEY', variable: 'ANTHROPIC_API_KEY' }]);
    expect(stepOf(detail, 1).status).toBe('succeeded');
    const hashes = sandbox.current.runs().map((run) => run.env.ANTHROPIC_API_KEY);
    const sha = (text: string) => ({ set: true, sha256: createHash('sha256').update(text).digest('hex') });
    expect(hashes).toEqual([sha('first-value-1234'), sha('second-value-5678')]);
    await engine.call('secrets.delete', { name: 'ANTHROPIC_KEY' });
  });

  it('fails the step before starting its tool when a secret is missing, naming it and how to set it', async () => {
    const detail = await runWith([{ secret: 'NEVER_SET', variable: 'ANTHROPIC_API_KEY' }]);
    expect(stepOf(detail, 1)).toMatchObject({
      status: 'failed',
      error: 'secret "NEVER_SET" (for ANTHROPIC_API_KEY of agent "keyed") is not in the keychain; set it on the Agents page or with `photon secrets set NEVER_SET`',
    });
    expect(sandbox.current.runs()).toEqual([]);
  });

  it('never passes a variable whose secret is blank', async () => {
    await sandbox.current.engine.call('secrets.set', { name: 'BLANK', value: '   ' });
    const detail = await runWith([{ secret: 'BLANK', variable: 'ANTHROPIC_API_KEY' }]);
    // Passed empty, the key would beat the signed-in login and the tool would fail with "Invalid API key".
    expect(stepOf(detail, 1)).toMatchObject({ status: 'succeeded', output: 'Claude Code received: Hello' });
    expect(sandbox.current.runs()[0]!.env).not.toHaveProperty('ANTHROPIC_API_KEY');
    await sandbox.current.engine.call('secrets.delete', { name: 'BLANK' });
  });

  it("never passes a blank secret to a shell agent's step, whatever its variable is called", async () => {
    const { engine, work } = sandbox.current;
    await engine.call('secrets.set', { name: 'BLANK_TOKEN', value: ' \n' });
    // No AI tool's adapter here, and a name unlike a credential's, which the environment would drop as well.
    await engine.call('agents.save', { agent: { id: 'deployer', name: 'Deployer', tool: 'shell', secrets: [{ secret: 'BLANK_TOKEN', variable: 'DB_PASSWORD' }] } });
    const { runId } = await engine.call('runs.start', {
      workflow: { name: 'Deploy', workflow: [{ step: 1, platform: 'shell', agent: 'deployer', inputs: { command: 'echo "password:${DB_PASSWORD-unset}"' }, dependencies: [] }] },
      baseDir: work,
    });
    await engine.waitForRun(runId);
    expect(stepOf(await engine.call('runs.get', { runId }), 1)).toMatchObject({ status: 'succeeded', output: 'password:unset' });
    await engine.call('secrets.delete', { name: 'BLANK_TOKEN' });
  });
});

describe('without a Secret Service', () => {
  it('answers secrets.set and secrets.list with what to install, and fails a step that needs a secret', async () => {
    const root = makeTempDir('no-keychain');
    try {
      // A separate process: libsecret keeps its first D-Bus connection for the life of a process.
      const script = `
        import { createEngine } from ${JSON.stringify(pathToFileURL(await bundled('electron/engine/index.ts')).href)};
        const engine = await createEngine({ dataDir: ${JSON.stringify(`${root}/data`)}, host: 'cli', loginShell: false, keychainService: 'Photon-test-nobus' });
        const out = {};
        out.set = await engine.dispatch({ id: 1, method: 'secrets.set', params: { name: 'X_API_KEY', value: 'value-never-stored' } });
        out.list = await engine.dispatch({ id: 2, method: 'secrets.list' });
        await engine.call('agents.save', { agent: { id: 'needs-key', name: 'Needs a key', tool: 'shell', secrets: [{ secret: 'X_API_KEY', variable: 'X_API_KEY' }] } });
        const { runId } = await engine.call('runs.start', { workflow: { name: 'w', workflow: [{ step: 1, platform: 'shell', agent: 'needs-key', inputs: { command: 'echo ran' }, dependencies: [] }] }, baseDir: ${JSON.stringify(root)} });
        await engine.waitForRun(runId);
        out.step = (await engine.call('runs.get', { runId })).steps[0];
        await engine.close();
        console.log(JSON.stringify(out));`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: repoRoot,
        env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/photon-test-bus', DISPLAY: '' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      const out = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
        set: { ok: boolean; error: { code: string; message: string } };
        list: { ok: boolean; value: { available: boolean; reason: string; names: string[] } };
        step: { status: string; error: string; output: string | null };
      };
      expect(out.set).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect(out.set.error.message).toMatch(/^No OS keychain \(Secret Service\) is available in this session\. Install and start one, e\.g\. `sudo apt install gnome-keyring`/);
      expect(out.set.error.message).toMatch(/Photon never stores secrets in plain text/);
      expect(out.list).toMatchObject({ ok: true, value: { available: false, names: [] } });
      expect(out.list.value.reason).toBe(out.set.error.message);
      expect(out.step).toMatchObject({ status: 'failed', error: expect.stringMatching(/^No OS keychain/) });
      expect(out.step.output?.split('\n')).not.toContain('ran');
    } finally {
      removeDir(root);
    }
  });
});

/**
 * A keychain that never answers, tried in a process of its own (libsecret keeps its first D-Bus
 * connection for the life of a process, and the process cannot exit while keytar's read hangs, so
 * it prints its results and is killed). Most of its time is the standard limit running out (20 s):
 * it is started with the file, so that wait goes on while the tests above run, and its test reads
 * what it printed.
 */
async function startSilentKeychain(): Promise<{ output(): { stdout: string; stderr: string }; exited: Promise<unknown>; stop(): Promise<void> }> {
  const root = makeTempDir('silent-keychain');
  // A D-Bus "session bus" that takes the connection and never says a word: libsecret waits on it for ever.
  const held: Socket[] = [];
  const bus = createServer((socket) => held.push(socket));
  const busPath = join(root, 'bus');
  await new Promise<void>((resolve) => bus.listen(busPath, resolve));
  const script = `
    import { createEngine } from ${JSON.stringify(pathToFileURL(await bundled('electron/engine/index.ts')).href)};
    const agent = { agent: { id: 'keyed', name: 'Keyed', tool: 'shell', secrets: [{ secret: 'LOCKED_KEY', variable: 'LOCKED_KEY' }] } };
    const within = (promise, what) => Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve('still waiting: ' + what), 20000))]);
    const out = {};
    // Without a limit set, it is 20 s: that read is started first and runs out while the rest is tried.
    const standard = await createEngine({ dataDir: ${JSON.stringify(`${root}/data-standard`)}, host: 'cli', loginShell: false, keychainService: 'Photon-test-silent' });
    await standard.call('agents.save', agent);
    const before = Date.now();
    const standardSession = Promise.race([
      standard.call('terminals.create', { agentId: 'keyed', cwd: ${JSON.stringify(root)} }).then(() => 'opened', (error) => error.code + ': ' + error.message),
      new Promise((resolve) => setTimeout(() => resolve('still waiting after 60 s'), 60000)),
    ]).then((answer) => {
      out.standardWaitedMs = Date.now() - before;
      return answer;
    });
    const engine = await createEngine({ dataDir: ${JSON.stringify(`${root}/data`)}, host: 'cli', loginShell: false, keychainService: 'Photon-test-silent' });
    await engine.call('agents.save', agent);
    const start = (timeout) => engine.call('runs.start', { workflow: { name: 'w', workflow: [{ step: 1, platform: 'shell', agent: 'keyed', ...(timeout ? { timeout } : {}), inputs: { command: 'echo ran' }, dependencies: [] }] }, baseDir: ${JSON.stringify(root)} });
    const timed = await start(1000);
    out.timedStatus = await within(engine.waitForRun(timed.runId), 'the timed-out run');
    out.timedStep = (await engine.call('runs.get', { runId: timed.runId })).steps[0];
    const cancelled = await start();
    while ((await engine.call('runs.get', { runId: cancelled.runId })).steps[0].status !== 'running') await new Promise((resolve) => setTimeout(resolve, 20));
    out.cancel = await within(engine.call('runs.cancel', { runId: cancelled.runId }), 'the cancel');
    out.cancelledStep = (await engine.call('runs.get', { runId: cancelled.runId })).steps[0];
    const left = await start();
    while ((await engine.call('runs.get', { runId: left.runId })).steps[0].status !== 'running') await new Promise((resolve) => setTimeout(resolve, 20));
    out.closed = await within(engine.close().then(() => 'closed'), 'the engine to close');
    // With a time limit on keychain reads, a step without a timeout and an agent's terminal give up with the reason.
    const limited = await createEngine({ dataDir: ${JSON.stringify(`${root}/data-limited`)}, host: 'cli', loginShell: false, keychainService: 'Photon-test-silent', keychainTimeoutMs: 1000 });
    await limited.call('agents.save', agent);
    out.session = await within(limited.call('terminals.create', { agentId: 'keyed', cwd: ${JSON.stringify(root)} }).then(() => 'opened', (error) => error.code + ': ' + error.message), 'the terminal');
    const untimed = await limited.call('runs.start', { workflow: { name: 'w', workflow: [{ step: 1, platform: 'shell', agent: 'keyed', inputs: { command: 'echo ran' }, dependencies: [] }] }, baseDir: ${JSON.stringify(root)} });
    out.untimedStatus = await within(limited.waitForRun(untimed.runId), 'the run with no timeout');
    out.untimedStep = (await limited.call('runs.get', { runId: untimed.runId })).steps[0];
    await limited.close();
    out.standardSession = await standardSession;
    await standard.close();
    console.log(JSON.stringify(out));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${busPath}`, DISPLAY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    output: () => ({ stdout, stderr }),
    exited,
    async stop() {
      child.kill('SIGKILL');
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => bus.close(resolve));
      removeDir(root);
    },
  };
}

let silentKeychain: Awaited<ReturnType<typeof startSilentKeychain>> | undefined;
beforeAll(async () => {
  silentKeychain = await startSilentKeychain();
});
afterAll(async () => {
  await silentKeychain?.stop();
});

describe('a keychain that never answers (a locked keychain waiting for its owner)', () => {
  it('ends a step at its timeout and a cancel at once, though its secret is still being read', async () => {
    const silent = silentKeychain!;
    await Promise.race([waitUntil(() => silent.output().stdout.includes('\n'), 'the results', 150_000), silent.exited]);
    const { stdout, stderr } = silent.output();
    expect(stdout, stderr).toContain('{');
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(out.timedStatus).toBe('failed');
    expect(out.timedStep).toMatchObject({ status: 'timed_out', error: 'timed out after 1000 ms' });
    expect(out.cancel).toEqual({ cancelled: true });
    expect(out.cancelledStep).toMatchObject({ status: 'cancelled' });
    expect(out.closed).toBe('closed');
    const silence = 'The OS keychain did not answer within 1 s. It may be locked and waiting for you to unlock it: unlock it and try again.';
    expect(out.session).toBe(`unavailable: ${silence}`);
    expect(out.untimedStatus).toBe('failed');
    expect(out.untimedStep).toMatchObject({ status: 'failed', error: silence });
    expect(out.standardSession).toBe(`unavailable: ${silence.replace('1 s', '20 s')}`);
    // Given up on no sooner than the limit it names (the timer cannot fire early).
    expect(out.standardWaitedMs).toBeGreaterThan(19_500);
    // The tool never started without its secret.
    for (const step of [out.timedStep, out.cancelledStep, out.untimedStep] as { output: string | null }[]) expect(step.output ?? '').not.toContain('ran');
  }, 180_000);
});
