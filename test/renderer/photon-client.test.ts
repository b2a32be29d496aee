import { describe, expect, it, vi } from 'vitest';
import { PhotonError } from '../../shared/errors.js';
import { createClient } from '../../renderer/client/photon-client.js';
import { FakeTransport } from './fake-transport.js';
import { runSummary, workflowSummary } from './fixtures.js';

describe('the renderer client', () => {
  it('sends request envelopes with fresh ids and resolves with the value', async () => {
    const transport = new FakeTransport().handle('workflows.list', () => [workflowSummary('w1')]).handle('runs.get', (p) => ({ asked: p }));
    const client = createClient(transport);

    expect(await client.call('workflows.list')).toEqual([workflowSummary('w1')]);
    expect(await client.call('runs.get', { runId: 'r1' })).toEqual({ asked: { runId: 'r1' } });
    expect(transport.requests).toEqual([
      { id: 1, method: 'workflows.list' },
      { id: 2, method: 'runs.get', params: { runId: 'r1' } },
    ]);
  });

  it('turns an error reply into a PhotonError with its code, message and details', async () => {
    const transport = new FakeTransport().handle('workflows.save', () => {
      throw new PhotonError('invalid', 'workflow[0].platform: unknown', { issues: [{ path: 'workflow[0].platform', message: 'unknown' }] });
    });
    const client = createClient(transport);
    const error = await client.call('workflows.save', { workflow: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhotonError);
    expect(error).toMatchObject({ code: 'invalid', message: 'workflow[0].platform: unknown', details: { issues: [{ path: 'workflow[0].platform' }] } });
  });

  it('fails cleanly when the transport is down', async () => {
    const transport = new FakeTransport({ status: 'closed', attempt: 1, retryAt: null, reason: 'lost' });
    const client = createClient(transport);
    await expect(client.call('system.info')).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('routes events to the handlers of that event until they unsubscribe', () => {
    const transport = new FakeTransport();
    const client = createClient(transport);
    const runs = vi.fn();
    const steps = vi.fn();
    const stop = client.on('run.updated', runs);
    client.on('step.updated', steps);

    transport.emit('run.updated', runSummary('r1', '2026-01-01T00:00:00.000Z'));
    expect(runs).toHaveBeenCalledWith(expect.objectContaining({ runId: 'r1' }));
    expect(steps).not.toHaveBeenCalled();

    stop();
    transport.emit('run.updated', runSummary('r2', '2026-01-01T00:00:00.000Z'));
    expect(runs).toHaveBeenCalledTimes(1);
  });

  it('keeps delivering an event when one handler throws', () => {
    const transport = new FakeTransport();
    const client = createClient(transport);
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const after = vi.fn();
    client.on('step.output', () => {
      throw new Error('broken view');
    });
    client.on('step.output', after);
    transport.emit('step.output', { runId: 'r1', step: 1, attempt: 1, data: 'hi' });
    expect(after).toHaveBeenCalledOnce();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});
