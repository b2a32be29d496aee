/**
 * The desktop app's view of a running `photon daemon` (a real process): connected through the
 * discovery file, it answers the window's envelopes under their own ids, brings the runs the
 * daemon's schedules start live, follows the terminals a window attached (and lets go when the
 * window goes), and says when the daemon goes away.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectToDaemon, DaemonEngine } from '../../../electron/server/daemon/index.js';
import type { EventEnvelope } from '../../../shared/api.js';
import type { RunSummary } from '../../../shared/runs.js';
import { shellStep, startEngine, workflowOf } from '../../engine/helpers.js';
import { startDaemon, tempFolder, waitUntil } from '../cli/helpers.js';

let folder: ReturnType<typeof tempFolder>;
let daemon: ReturnType<typeof startDaemon> | undefined;
let engine: DaemonEngine | undefined;
let workflowId = '';

beforeEach(async () => {
  folder = tempFolder();
  const own = await startEngine(folder.dataDir);
  workflowId = (await own.call('workflows.save', { workflow: workflowOf([shellStep(1, 'echo tick')], 'heartbeat') })).id;
  await own.close();
  daemon = startDaemon(folder.dataDir);
  await daemon.ready;
  const connection = await connectToDaemon(folder.dataDir);
  expect(connection).toBeDefined();
  engine = new DaemonEngine(connection!);
});
afterEach(async () => {
  await engine?.close();
  if (daemon && daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill('SIGTERM');
  await daemon?.done;
  folder.cleanup();
});

describe('the desktop app on a running daemon', () => {
  it('answers a window\'s envelopes under their ids, and refuses a malformed one', async () => {
    const reply = await engine!.dispatch({ id: 'w-7', method: 'workflows.list', params: undefined }, { clientId: 'window-1' });
    expect(reply).toMatchObject({ id: 'w-7', ok: true, value: [{ id: workflowId, name: 'heartbeat' }] });
    // The window's status bar says it is on the daemon: the engine answering is the daemon's.
    expect(await engine!.dispatch({ id: 'w-8', method: 'system.info', params: undefined }, { clientId: 'window-1' })).toMatchObject({ ok: true, value: { host: 'daemon', dataDir: folder.dataDir } });
    expect(await engine!.dispatch({ id: 8, method: 'no.such', params: {} }, { clientId: 'window-1' })).toMatchObject({ id: 8, ok: false, error: { code: 'not_found' } });
    expect(await engine!.dispatch('{}', { clientId: 'window-1' })).toMatchObject({ id: null, ok: false, error: { code: 'invalid' } });
  });

  it('brings the runs the daemon\'s schedules start, live', async () => {
    const scheduled: RunSummary[] = [];
    engine!.on('run.updated', (run) => {
      if (run.trigger?.kind === 'schedule') scheduled.push(run);
    });
    await engine!.call('schedules.add', { workflowId, name: 'every second', cron: '* * * * * *', timeZone: 'UTC' });
    await waitUntil(() => scheduled.some((run) => run.status === 'succeeded'), 30_000, 'a scheduled run announced as it ended');
    expect(scheduled[0]!.trigger).toEqual({ kind: 'schedule', name: 'every second' });
  });

  it('follows the terminals a window attached, and lets go when the window goes', async () => {
    const seen: string[] = [];
    engine!.onAny((envelope: EventEnvelope) => {
      if (envelope.event === 'terminal.data') seen.push((envelope.payload as { data: string }).data);
    });
    const terminal = await engine!.call('terminals.create', { command: 'sleep 1; echo late-line; sleep 30' });
    const attached = await engine!.dispatch({ id: 1, method: 'terminals.attach', params: { id: terminal.id } }, { clientId: 'window-1' });
    expect(attached.ok).toBe(true);
    expect(engine!.isAttached(terminal.id, 'window-1')).toBe(true);
    expect(engine!.isAttached(terminal.id, 'window-2')).toBe(false);
    await waitUntil(() => seen.join('').includes('late-line'), 30_000, 'the terminal\'s output after the attach');
    engine!.clientDisconnected('window-1');
    expect(engine!.isAttached(terminal.id, 'window-1')).toBe(false);
    await engine!.call('terminals.kill', { id: terminal.id });
  });

  it('says when the daemon goes away', async () => {
    let closed = false;
    engine!.connection.onClose(() => (closed = true));
    daemon!.child.kill('SIGTERM');
    await daemon!.done;
    await waitUntil(() => closed, 30_000, 'the connection to close');
    expect(await engine!.dispatch({ id: 2, method: 'workflows.list', params: undefined }, { clientId: 'window-1' })).toMatchObject({ id: 2, ok: false, error: { code: 'unavailable' } });
  });
});
