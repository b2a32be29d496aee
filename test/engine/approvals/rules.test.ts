/** What the approval rules match: the first rule decides, network commands are found inside pipelines, and paths must stay in the folder. */
import { describe, expect, it } from 'vitest';
import { firstMatch, insideFolder, reachesNetwork } from '../../../electron/engine/approvals/index.js';
import { suggestedRules, type ApprovalRule } from '../../../shared/approvals.js';

const rules: ApprovalRule[] = suggestedRules.map((rule, position) => ({ ...rule, id: `r${position}`, scope: 'agent', target: 'a', position, createdBy: 'person', createdAt: '' }));
const decide = (subject: Partial<Parameters<typeof firstMatch>[1]>) => firstMatch(rules, { toolKind: null, command: null, paths: [], folder: '/work/step', ...subject })?.action ?? 'ask';

describe('approval rules', () => {
  it('find network commands however they are written', () => {
    for (const command of ['curl https://x', 'sudo wget x', 'FOO=1 ssh host', 'npm test && git push origin main', 'cat a | nc host 80', '/usr/bin/curl x', 'echo $(curl x)', 'npx npm install left-pad']) {
      expect(reachesNetwork({ toolKind: 'execute', command }), command).toBe(true);
    }
    for (const command of ['npm test', 'git status', 'git commit -m "curl later"', 'ls -la', 'make']) {
      expect(reachesNetwork({ toolKind: 'execute', command }), command).toBe(false);
    }
    expect(reachesNetwork({ toolKind: 'fetch', command: null })).toBe(true);
  });

  it('count a path inside the folder only when every path stays in it', () => {
    expect(insideFolder({ folder: '/work/step', paths: ['/work/step/a.ts', 'src/b.ts'] })).toBe(true);
    expect(insideFolder({ folder: '/work/step', paths: ['/work/step/a.ts', '/work/step/../other/c.ts'] })).toBe(false);
    expect(insideFolder({ folder: '/work/step', paths: ['/work/step-2/a.ts'] })).toBe(false);
    expect(insideFolder({ folder: '/work/step', paths: [] })).toBe(false);
  });

  it('the suggested set: deny network, allow reads and edits inside the folder, ask for the rest', () => {
    expect(decide({ toolKind: 'execute', command: 'curl https://example.com' })).toBe('deny');
    expect(decide({ toolKind: 'read', paths: ['/etc/passwd'] })).toBe('allow');
    expect(decide({ toolKind: 'edit', paths: ['/work/step/a.ts'] })).toBe('allow');
    expect(decide({ toolKind: 'edit', paths: ['/home/me/.bashrc'] })).toBe('ask');
    expect(decide({ toolKind: 'execute', command: 'npm test' })).toBe('ask');
    expect(decide({ toolKind: 'fetch' })).toBe('deny');
  });
});
