import { describe, expect, it } from 'vitest';
import type { WorkflowSummary } from '../../shared/api.js';
import { recentWorkflows, trayMenuModel, trayTooltip, type TrayItem } from '../../electron/main/tray-menu.js';

function workflow(id: string, updatedAt: string, lastRunAt: string | null = null, name = `Workflow ${id}`): WorkflowSummary {
  return { id, name, description: null, stepCount: 2, createdAt: '2026-01-01T00:00:00.000Z', updatedAt, lastRunAt, pinned: false };
}

const labels = (items: TrayItem[]) => items.map((item) => (item.type === 'separator' ? '---' : item.label));
const byId = (items: TrayItem[], id: string) => items.find((item) => item.type === 'normal' && item.id === id) as Extract<TrayItem, { type: 'normal' }>;

describe('trayMenuModel', () => {
  it('with nothing saved or running: says so, and offers show and quit', () => {
    const items = trayMenuModel({ runningCount: 0, workflows: [], platform: 'linux' });
    expect(labels(items)).toEqual(['No runs running', '---', 'Recent workflows', 'No saved workflows', '---', 'Stop All Runs', '---', 'Show Photon', 'Quit Photon']);
    expect(byId(items, 'cancel-all').enabled).toBe(false);
    expect(byId(items, 'no-workflows').enabled).toBe(false);
    expect(byId(items, 'show').action).toEqual({ kind: 'showWindow' });
    expect(byId(items, 'quit').action).toEqual({ kind: 'quit' });
  });

  it('counts the running runs and enables Stop All', () => {
    expect(byId(trayMenuModel({ runningCount: 1, workflows: [], platform: 'darwin' }), 'running').label).toBe('1 run running');
    const items = trayMenuModel({ runningCount: 3, workflows: [], platform: 'darwin' });
    expect(byId(items, 'running')).toMatchObject({ label: '3 runs running', enabled: false });
    expect(byId(items, 'cancel-all')).toMatchObject({ enabled: true, action: { kind: 'cancelAll' } });
  });

  it('offers the ten most recently edited or run workflows, newest first', () => {
    const workflows = Array.from({ length: 14 }, (_, i) => workflow(`w${i}`, `2026-02-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`));
    // An old workflow run a moment ago counts as recent.
    workflows.push(workflow('old-but-run', '2025-01-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'));
    const items = trayMenuModel({ runningCount: 0, workflows, platform: 'linux' });
    const starts = items.filter((item) => item.type === 'normal' && item.action?.kind === 'startWorkflow');
    expect(starts).toHaveLength(10);
    expect(starts.map((item) => item.type === 'normal' && item.action)).toEqual([
      { kind: 'startWorkflow', workflowId: 'old-but-run' },
      ...['w13', 'w12', 'w11', 'w10', 'w9', 'w8', 'w7', 'w6', 'w5'].map((workflowId) => ({ kind: 'startWorkflow', workflowId })),
    ]);
    expect(labels(starts)[1]).toBe('Start Workflow w13');
  });

  it('keeps labels short, on one line, and escapes & where menus read it as a mnemonic', () => {
    const long = workflow('a', '2026-01-02T00:00:00.000Z', null, `Build &\n test ${'x'.repeat(80)}`);
    const [linux] = labels(trayMenuModel({ runningCount: 0, workflows: [long], platform: 'linux' }).filter((i) => i.type === 'normal' && i.id === 'workflow:a'));
    expect(linux).toMatch(/^Start Build && test x+…$/);
    expect(linux!.length).toBeLessThanOrEqual('Start '.length + 49);
    const [mac] = labels(trayMenuModel({ runningCount: 0, workflows: [long], platform: 'darwin' }).filter((i) => i.type === 'normal' && i.id === 'workflow:a'));
    expect(mac).toMatch(/^Start Build & test/);
  });

  it('is plain data (the glue maps actions to functions)', () => {
    const items = trayMenuModel({ runningCount: 2, workflows: [workflow('a', '2026-01-01T00:00:00.000Z')], platform: 'win32' });
    expect(JSON.parse(JSON.stringify(items))).toEqual(items);
  });
});

describe('recentWorkflows', () => {
  it('breaks ties by name and copes with bad dates', () => {
    const same = '2026-01-01T00:00:00.000Z';
    const list = [workflow('b', same, null, 'Beta'), workflow('a', same, null, 'Alpha'), workflow('x', 'garbage', null, 'Broken')];
    expect(recentWorkflows(list, 10).map((w) => w.name)).toEqual(['Alpha', 'Beta', 'Broken']);
  });
});

describe('trayTooltip', () => {
  it('names the running count', () => {
    expect(trayTooltip(0)).toBe('Photon');
    expect(trayTooltip(2)).toBe('Photon: 2 runs running');
  });
});
