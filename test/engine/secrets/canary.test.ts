/**
 * The canary: a secret with a unique value, in the real keychain (the private Secret Service that
 * scripts/run-tests.js starts), used by a run whose steps print it. Its value reaches the tools'
 * environments and nothing else: not the database files, the attempt logs, any event or reply a
 * client saw, nor the step outputs, where it reads as `[secret NAME]`. A second secret of several
 * lines (a PEM-like key) is printed as a terminal renders it: line endings turned into `\r\n`,
 * wrapped by `fold`, and split across two writes; no line of it may survive anywhere either.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope, MethodName, ReplyEnvelope } from '../../../shared/api.js';
import type { RunDetail, StepDetail } from '../../../shared/runs.js';
import type { TerminalInfo } from '../../../shared/terminals.js';
import { createStandInSandbox, keychainReady, type StandInSandbox } from '../agents/stand-in-engine.js';
import { removeDir, stepOf, waitUntil } from '../helpers.js';

const canary = `canary-${randomUUID()}`;
const mark = '[secret CANARY_SECRET]';
/** Base64 lines of 64 characters between PEM armour, each line unique to this test run. */
const pemLines = randomBytes(48 * 6).toString('base64').match(/.{64}/g)!;
const pem = ['-----BEGIN PRIVATE KEY-----', ...pemLines, '-----END PRIVATE KEY-----'].join('\n');
const pemMark = '[secret PEM_SECRET]';
/** What must never be found: the canary, and every line of the key (any one would leak part of it). */
const needles = [canary, ...pemLines];
const leaked = (text: string | Buffer): string | undefined => needles.find((needle) => text.includes(needle));

/** Every file under a folder, recursively, as bytes. */
function filesUnder(folder: string): { path: string; bytes: Buffer }[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(folder, entry))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, bytes: readFileSync(path) }));
}

describe.skipIf(!keychainReady)('a secret used by a run (real keychain: run through scripts/run-tests.js)', () => {
  let sandbox: StandInSandbox;
  const envelopes: EventEnvelope[] = [];
  const replies: ReplyEnvelope[] = [];
  let nextId = 1;
  let detail: RunDetail;
  let terminalText = '';

  /** A call as a client makes it, its reply kept for the search below. */
  const call = async <T>(method: MethodName, params?: unknown): Promise<T> => {
    const reply = await sandbox.engine.dispatch({ id: nextId++, method, params });
    replies.push(reply);
    if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
    return reply.value as T;
  };

  beforeAll(async () => {
    sandbox = await createStandInSandbox('canary', { env: { PHOTON_STANDIN_LOGGED_IN: '1' } });
    sandbox.engine.onAny((envelope) => envelopes.push(envelope));
    await call('secrets.set', { name: 'CANARY_SECRET', value: canary });
    await call('secrets.set', { name: 'PEM_SECRET', value: pem });
    const shellSecrets = [
      { secret: 'CANARY_SECRET', variable: 'CANARY_VALUE' },
      { secret: 'PEM_SECRET', variable: 'PEM_VALUE' },
    ];
    await call('agents.save', { agent: { id: 'canary-shell', name: 'Canary shell', tool: 'shell', secrets: shellSecrets } });
    await call('agents.save', { agent: { id: 'canary-claude', name: 'Canary Claude', tool: 'claude-code', secrets: [{ secret: 'CANARY_SECRET', variable: 'ANTHROPIC_API_KEY' }] } });

    // Whole, then split across two writes with a pause, so it reaches the engine in two chunks.
    const print =
      `printf 'whole=%s\\n' "$CANARY_VALUE"; printf 'split=%s' "$(printf %s "$CANARY_VALUE" | cut -c1-12)"; ` +
      `sleep 0.6; printf '%s\\n' "$(printf %s "$CANARY_VALUE" | cut -c13-)"; ` +
      // The key as the pty renders it (\r\n), wrapped at 40 columns, and cut in the middle of its third line.
      `printf 'pem=%s\\n' "$PEM_VALUE"; printf '%s\\n' "$PEM_VALUE" | fold -w 40; ` +
      `printf '%s' "$PEM_VALUE" | head -c 150; sleep 0.6; printf '%s\\n' "$(printf '%s' "$PEM_VALUE" | tail -c +151)"`;
    const { runId } = await call<{ runId: string }>('runs.start', {
      workflow: {
        name: 'Canary',
        workflow: [
          { step: 1, platform: 'shell', agent: 'canary-shell', inputs: { command: print }, dependencies: [] },
          { step: 2, platform: 'claude-code', agent: 'canary-claude', inputs: { prompt: 'Echo: {{steps.1.output}}' }, dependencies: [1] },
        ],
      },
      baseDir: sandbox.work,
    });
    // A view that attaches mid-step gets the scrollback: a reply like any other.
    let terminal: TerminalInfo | null = null;
    await waitUntil(() => envelopes.some((e) => e.event === 'step.output' && JSON.stringify(e.payload).includes('split=')), 'the first half of the split value');
    terminal = await call<TerminalInfo | null>('terminals.forStep', { runId, step: 1 });
    expect(terminal).not.toBeNull();
    await call('terminals.attach', { id: terminal!.id });
    expect(await sandbox.engine.waitForRun(runId)).toBe('succeeded');
    detail = await call<RunDetail>('runs.get', { runId });
    await call<StepDetail>('steps.get', { runId, step: 1 });
    await call<StepDetail>('steps.get', { runId, step: 2 });
    await call('runs.timeline', { runId });
    await call('agents.stats');
    await call('agents.list');
    await call('secrets.list');

    // The agent's tool opened interactively: its terminal gets the secret, its output does not.
    const session = await call<TerminalInfo>('terminals.create', { agentId: 'canary-shell', cwd: sandbox.work });
    await call('terminals.attach', { id: session.id });
    sandbox.engine.on('terminal.data', ({ id, data }) => {
      if (id === session.id) terminalText += data;
    });
    await call('terminals.write', { id: session.id, data: 'printf "typed=%s\\n" "$CANARY_VALUE"; printf "%s\\n" "$PEM_VALUE"; exit\n' });
    await waitUntil(() => envelopes.some((e) => e.event === 'terminal.updated' && (e.payload as TerminalInfo).id === session.id && (e.payload as TerminalInfo).status === 'exited'), 'the session to end');
    await call('terminals.list');
  }, 60_000);

  afterAll(async () => {
    if (!sandbox) return;
    await sandbox.engine.call('secrets.delete', { name: 'CANARY_SECRET' }).catch(() => undefined);
    await sandbox.engine.call('secrets.delete', { name: 'PEM_SECRET' }).catch(() => undefined);
    await sandbox.engine.close();
    removeDir(sandbox.root);
  });

  it("puts the value into the tools' environments", () => {
    const claude = sandbox.runs().find((run) => run.tool === 'claude')!;
    expect(claude.env.ANTHROPIC_API_KEY).toEqual({ set: true, sha256: createHash('sha256').update(canary).digest('hex') });
    // The shell step printed it (redacted below): it had the value, not an empty variable.
    const printed = `whole=${mark}\nsplit=${mark}\npem=${pemMark}\n${pemMark}\n${pemMark}`;
    expect(stepOf(detail, 1).output).toBe(printed);
    expect(stepOf(detail, 2).output).toBe(`Claude Code received: Echo: ${printed}`);
    expect(terminalText).toContain(`typed=${mark}`);
    expect(terminalText).toContain(pemMark);
    expect(leaked(terminalText)).toBeUndefined();
  });

  it('keeps it out of every event and reply a client saw during the run', () => {
    expect(envelopes.length).toBeGreaterThan(20);
    const seen = JSON.stringify(envelopes);
    expect(seen).toContain(mark);
    expect(seen).toContain(pemMark);
    expect(leaked(seen)).toBeUndefined();
    expect(leaked(JSON.stringify(replies))).toBeUndefined();
    expect(replies.every((reply) => reply.ok)).toBe(true);
  });

  it('keeps it out of the database files and the attempt logs', async () => {
    const check = () => {
      const files = filesUnder(sandbox.dataDir);
      const names = files.map((f) => f.path.slice(sandbox.dataDir.length + 1));
      expect(names).toContain('photon.db');
      expect(names.filter((n) => n.startsWith('runs/')).length).toBeGreaterThanOrEqual(2);
      const logs = files.filter((f) => f.path.includes(`${join(sandbox.dataDir, 'runs')}/`));
      expect(logs.some((f) => f.bytes.includes(mark))).toBe(true);
      for (const file of files) expect(leaked(file.bytes), file.path).toBeUndefined();
    };
    // While the engine holds the database open (WAL and shared memory beside it), then after it closed.
    check();
    await sandbox.engine.close();
    check();
  });
});
