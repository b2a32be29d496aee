/**
 * A sub-workflow over the REST API: the parent operation's step names the operation it started,
 * and that operation names its parent, so a client of /api/v1 can follow both.
 */
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../../shared/rest.js';
import { eventually, useApiHost } from './helpers.js';

const api = useApiHost();

async function ended(id: string): Promise<Operation> {
  return eventually(async () => {
    const answer = await api.call<Operation>('GET', `/api/v1/operations/${id}`);
    return answer.body.data && answer.body.data.status !== 'running' ? answer.body.data : undefined;
  }, `operation ${id} to end`);
}

describe('a sub-workflow operation', () => {
  it('links parent and child both ways', async () => {
    await api.host.engine.call('workflows.save', { workflow: { name: 'Child', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'echo child-{{inputs.n}}' } }] } });
    const body = { name: 'Parent', baseDir: api.host.root, workflow: [{ step: 1, platform: 'workflow', inputs: { workflow: 'Child', n: 7 } }] };
    const parent = await ended((await api.call<Operation>('POST', '/api/v1/operations', { body })).body.data!.id);
    expect(parent.status).toBe('succeeded');
    const childId = parent.steps[0]!.childOperationId!;
    expect(parent.results).toEqual([{ step: 1, output: 'child-7' }]);
    expect(parent.parent).toBeUndefined();
    const child = await ended(childId);
    expect(child).toMatchObject({ name: 'Child', status: 'succeeded', parent: { id: parent.id, step: 1 } });
    expect(child.steps[0]!.childOperationId).toBeUndefined();
  });
});
