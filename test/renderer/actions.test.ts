import { describe, expect, it } from 'vitest';
import { PhotonError } from '../../shared/errors.js';
import { createClient } from '../../renderer/client/photon-client.js';
import type { Route } from '../../renderer/lib/route.js';
import { createPhotonStore } from '../../renderer/store/store.js';
import { createActions } from '../../renderer/sync/actions.js';
import { FakeTransport } from './fake-transport.js';
import { runDetail, stepState, systemInfo, workflowSummary } from './fixtures.js';

const valid = JSON.stringify({ name: 'Hello', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'echo hi' } }] });

function setup() {
  const transport = new FakeTransport()
    .handle('system.info', () => systemInfo)
    .handle('workflows.list', () => [workflowSummary('new-id', 'Hello')])
    .handle('workflows.save', () => ({ id: 'new-id' }))
    .handle('workflows.delete', () => ({ deleted: true }))
    .handle('runs.start', () => ({ runId: 'run-1' }))
    .handle('runs.cancel', () => ({ cancelled: true }))
    .handle('runs.resume', (p) => ({ runId: (p as { runId: string }).runId }))
    .handle('runs.get', () => runDetail('run-1', '2026-01-01T00:00:00.000Z', [stepState(1, { status: 'running' })]));
  const store = createPhotonStore();
  const routes: Route[] = [];
  const navigate = (route: Route) => {
    routes.push(route);
    store.getState().setRoute(route);
    return true;
  };
  const actions = createActions(createClient(transport), store, { navigate, guardLeaving: () => () => {} });
  return { transport, store, routes, actions };
}

describe('user actions', () => {
  it('imports a valid file: saves it as written, refreshes the list and opens it', async () => {
    const { transport, store, routes, actions } = setup();
    await actions.importWorkflowFile({ name: 'hello.json', text: valid });
    expect(transport.calls('workflows.save')).toEqual([{ workflow: JSON.parse(valid) }]);
    expect(store.getState().workflows.list.map((w) => w.id)).toEqual(['new-id']);
    expect(routes).toEqual([{ view: 'workflow', id: 'new-id' }]);
    expect(store.getState().importProblem).toBeNull();
    expect(store.getState().busy).toEqual({});
  });

  it('refuses an invalid file here, listing each issue with its place, and saves nothing', async () => {
    const { transport, store, actions } = setup();
    const text = JSON.stringify({ name: 'Bad', workflow: [{ step: 1, platform: 'codex', dependencies: [3], inputs: { prompt: 'x' } }] });
    await actions.importWorkflowFile({ name: 'bad.json', text });
    const problem = store.getState().importProblem!;
    expect(problem.fileName).toBe('bad.json');
    expect(problem.issues.map((i) => i.path)).toEqual(['workflow[0].dependencies[0]', 'workflow[0].platform']);
    expect(transport.calls('workflows.save')).toEqual([]);

    await actions.importWorkflowFile({ name: 'broken.json', text: '{\n  "name": ' });
    expect(store.getState().importProblem!.issues[0]!.message).toMatch(/^invalid JSON at line 2/);
  });

  it('shows the issues the engine reports when it refuses a file', async () => {
    const { transport, store, actions } = setup();
    transport.handle('workflows.save', () => {
      throw new PhotonError('invalid', 'workflow[0]: nope', { issues: [{ path: 'workflow[0]', message: 'nope' }] });
    });
    await actions.importWorkflowFile({ name: 'hello.json', text: valid });
    expect(store.getState().importProblem).toEqual({ fileName: 'hello.json', issues: [{ path: 'workflow[0]', message: 'nope' }] });
    expect(store.getState().notices).toEqual([]);
  });

  it('reports any other failure as a notice with code and message', async () => {
    const { transport, store, actions } = setup();
    transport.handle('runs.start', () => {
      throw new PhotonError('conflict', 'the workflow needs a tool that is not installed');
    });
    await actions.startRun('w1');
    expect(store.getState().notices).toEqual([
      expect.objectContaining({ title: 'Could not start the run', code: 'conflict', message: 'the workflow needs a tool that is not installed' }),
    ]);
    expect(store.getState().busy).toEqual({});
  });

  it('starts a run and opens it', async () => {
    const { transport, routes, actions } = setup();
    await actions.startRun('w1');
    expect(transport.calls('runs.start')).toEqual([{ workflowId: 'w1' }]);
    expect(routes).toEqual([{ view: 'run', id: 'run-1' }]);
  });

  it('deletes the open workflow and goes home', async () => {
    const { transport, store, routes, actions } = setup();
    store.getState().setRoute({ view: 'workflow', id: 'w1' });
    await actions.deleteWorkflow('w1');
    expect(transport.calls('workflows.delete')).toEqual([{ id: 'w1' }]);
    expect(routes).toEqual([{ view: 'home' }]);
  });

  it('reads the run again after resuming, since resetting steps sends no events', async () => {
    const { transport, store, actions } = setup();
    await actions.resumeRun('run-1');
    await actions.resumeRun('run-1', 'saved');
    expect(transport.calls('runs.resume')).toEqual([
      { runId: 'run-1', definition: 'run' },
      { runId: 'run-1', definition: 'saved' },
    ]);
    expect(store.getState().runs.byId['run-1']!.steps[0]!.status).toBe('running');
  });

  it('cancels a run, marking it busy meanwhile', async () => {
    const { transport, store, actions } = setup();
    const pending = actions.cancelRun('run-1');
    expect(store.getState().busy['run:run-1']).toBe(true);
    await pending;
    expect(transport.calls('runs.cancel')).toEqual([{ runId: 'run-1' }]);
    expect(store.getState().busy).toEqual({});
  });

  it('asks the transport to reconnect now', () => {
    const { transport, actions } = setup();
    actions.reconnect();
    expect(transport.reconnects).toBe(1);
  });
});
