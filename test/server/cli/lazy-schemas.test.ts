import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { main } from '../../../electron/server/cli/main.js';
import { auditListParams, keyCreateParams, keyNameSchema, keyRevokeParams } from '../../../shared/access.js';
import { agentSchema } from '../../../shared/agents.js';
import { methods } from '../../../shared/api.js';
import { approvalRuleSchema, ruleMatchSchema } from '../../../shared/approvals.js';
import { defaultRemoteAccessSettings, remoteAccessSettingsSchema, remoteTlsSchema } from '../../../shared/remote-access.js';
import { automationNameSchema, scheduleAddParams, triggerAddParams } from '../../../shared/schedules.js';
import { makeTempDir, removeDir } from '../../engine/helpers.js';

/** How many zod objects `use` builds (zod calls its postProcessor once for each it makes). */
function zodObjectsBuiltBy(use: () => unknown): number {
  let built = 0;
  z.config({ postProcessor: () => built++ });
  try {
    use();
  } finally {
    z.config({ postProcessor: undefined });
  }
  return built;
}

// Building every module-level schema of shared/ when the engine loaded was about half of the zod
// objects a one-step `photon run` built, for agents, schedules, API keys, remote access and approval
// rules it never checks anything against (shared/lazy-schema.ts): each is built when first used.
describe("shared/'s schemas that a run does not use", () => {
  let root = '';
  afterEach(() => {
    vi.restoreAllMocks();
    removeDir(root);
  });

  it('are not built by a one-step photon run, and are when first used', async () => {
    root = makeTempDir('lazy-schemas');
    const file = join(root, 'one.json');
    writeFileSync(file, JSON.stringify({ name: 'one', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'true' }, dependencies: [] }] }));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(['run', file, '--data-dir', join(root, 'data')])).toBe(0);

    const unused = { agentSchema, automationNameSchema, scheduleAddParams, triggerAddParams, keyNameSchema, keyCreateParams, keyRevokeParams, auditListParams, remoteTlsSchema, remoteAccessSettingsSchema, ruleMatchSchema, approvalRuleSchema };
    const builtAtFirstUse = Object.fromEntries(Object.entries(unused).map(([name, schema]) => [name, zodObjectsBuiltBy(() => schema._zod.def)]));
    for (const [name, count] of Object.entries(builtAtFirstUse)) expect(count, name).toBeGreaterThan(0);
    // Built once, then kept.
    expect(zodObjectsBuiltBy(() => agentSchema.shape.name)).toBe(0);
  });

  it('check as they did once built, alone or inside another schema', async () => {
    expect(agentSchema.safeParse({ id: 'reviewer', name: 'Reviewer', tool: 'shell' }).data).toMatchObject({ id: 'reviewer', location: 'local', env: {}, maxConcurrentSteps: 1 });
    expect(agentSchema.safeParse({ id: 'reviewer', name: 'Reviewer', tool: 'shell', env: { 'not a name': 'x' } }).error?.issues[0]?.path).toEqual(['env', 'not a name']);
    // shared/rest.ts derives its own from agentSchema when it loads (the server's, not a run's).
    const { agentUpdateSchema } = await import('../../../shared/rest.js');
    expect(agentUpdateSchema.safeParse({ name: 'Renamed', tool: 'shell' }).success).toBe(true);
    expect(agentUpdateSchema.safeParse({ name: 'Renamed' }).error?.issues[0]?.path).toEqual(['tool']);
    expect(remoteAccessSettingsSchema.parse(defaultRemoteAccessSettings)).toEqual(defaultRemoteAccessSettings);
    expect(remoteAccessSettingsSchema.safeParse({ ...defaultRemoteAccessSettings, keyRate: 'often' }).error?.issues[0]?.message).toMatch(/not a rate/);
    expect(triggerAddParams.safeParse({ kind: 'webhook', workflowId: 'w', name: ' ' }).error?.issues[0]?.path).toEqual(['name']);
    expect(keyNameSchema.safeParse('-dash first').success).toBe(false);
    const setRules = methods['approvals.setRules'].params;
    expect(setRules.safeParse({ scope: 'agent', target: 'a', rules: [{ match: { kinds: ['execute'], commandPrefix: 'npm test' }, action: 'allow' }] }).success).toBe(true);
    expect(setRules.safeParse({ scope: 'agent', target: 'a', rules: [{ match: { kinds: ['dance'] }, action: 'allow' }] }).error?.issues[0]?.path).toEqual(['rules', 0, 'match', 'kinds', 0]);
  });
});
