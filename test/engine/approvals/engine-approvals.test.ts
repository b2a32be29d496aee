/** The approvals part of the contract, through an engine's dispatcher as every client reaches it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine/index.js';
import { suggestedRules } from '../../../shared/approvals.js';
import { makeTempDir, removeDir, startEngine } from '../helpers.js';

let dataDir: string;
let engine: Engine;

beforeEach(async () => {
  dataDir = makeTempDir('approvals-engine');
  engine = await startEngine(dataDir);
});
afterEach(async () => {
  await engine.close();
  removeDir(dataDir);
});

describe('approvals in the contract', () => {
  it("keeps an agent's rules in order and gives them back", async () => {
    const saved = await engine.call('approvals.setRules', { scope: 'agent', target: 'builder', rules: suggestedRules });
    expect(saved.map((r) => [r.position, r.action, r.match])).toEqual(suggestedRules.map((r, i) => [i, r.action, r.match]));
    expect(await engine.call('approvals.rules', { scope: 'agent', target: 'builder' })).toEqual(saved);
    expect(await engine.call('approvals.rules', { scope: 'workflow', target: 'builder' })).toEqual([]);
    expect(await engine.call('approvals.list', undefined)).toEqual([]);
  });

  it('refuses bad params naming the field', async () => {
    await expect(engine.call('approvals.answer', { ids: [], answer: 'once' })).rejects.toThrow('approvals.answer: params.ids: name at least one request (ids from approvals.list)');
    await expect(engine.call('approvals.answer', { ids: ['a'], answer: 'maybe' as 'once' })).rejects.toThrow(/params.answer/);
    await expect(
      engine.call('approvals.setRules', { scope: 'agent', target: 'a', rules: [{ match: { kinds: ['teleport' as 'read'] }, action: 'allow' }] }),
    ).rejects.toThrow(/params.rules.0.match.kinds.0/);
    await expect(engine.call('approvals.setRules', { scope: 'team' as 'agent', target: 'a', rules: [] })).rejects.toThrow(/params.scope/);
  });

  it('an unknown request is refused in its own result, not as a failed call', async () => {
    expect(await engine.call('approvals.answer', { ids: ['gone'], answer: 'deny', message: 'no' })).toEqual([
      { id: 'gone', ok: false, reason: 'no approval request gone: list them with photon approvals', code: 'not_found' },
    ]);
  });
});
