import { describe, expect, it } from 'vitest';
import type { WorkflowSummary } from '../../shared/api.js';
import { recentWorkflows, startableWorkflows, trayMenuModel, trayTooltip, type TrayItem, type TrayState } from '../../electron/main/tray-menu.js';

function workflow(id: string, updatedAt: string, options: { lastRunAt?: string; name?: string; pinned?: boolean } = {}): WorkflowSummary {
  return {
    id,
    name: options.name ?? `Workflow ${id}`,
    description: null,
    stepCount: 2,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt,
    lastRunAt: options.lastRunAt ?? null,
    pinned: options.pinned ?? false,
  };
}

type Normal = Extract<TrayItem, { type: 'normal' }>;
type Submenu = Extract<TrayItem, { type: 'submenu' }>;
const model = (state: Partial<TrayState>) => trayMenuModel({ runningCount: 0, waitingCount: 0, workflows: [], platform: 'linux', ...state });
const labels = (items: TrayItem[]) => items.map((item) => (item.type === 'separator' ? '---' : item.label));
const byId = (items: TrayItem[], id: string) => items.find((item) => item.type !== 'separator' && item.id === id) as Normal;
const startMenu = (items: TrayItem[]) => items.find((item) => item.type === 'submenu' && item.id === 'start') as Submenu;
const startedIds = (items: TrayItem[]) =>
  startMenu(items)
    .items.filter((item): item is Normal => item.type === 'normal' && item.action?.kind === 'startWorkflow')
    .map((item) => (item.action as { workflowId: string }).workflowId);

describe('trayMenuModel', () => {
  it('with nothing saved or running: says so, disables Start and Stop All, and offers the dashboard, show and quit', () => {
    const items = model({});
    expect(labels(items)).toEqual(['No runs running', 'No agents waiting', '---', 'Start Workflow', 'Stop All Runs', '---', 'Open Dashboard', 'Show Photon', 'Quit Photon']);
    expect(startMenu(items).enabled).toBe(false);
    expect(labels(startMenu(items).items)).toEqual(['No saved workflows']);
    expect(byId(items, 'cancel-all').enabled).toBe(false);
    expect(byId(items, 'dashboard')).toMatchObject({ enabled: true, action: { kind: 'openDashboard' } });
    expect(byId(items, 'show').action).toEqual({ kind: 'showWindow' });
    expect(byId(items, 'quit').action).toEqual({ kind: 'quit' });
  });

  it('counts the running runs and the agents waiting for input, and enables Stop All while something runs', () => {
    expect(byId(model({ runningCount: 1 }), 'running').label).toBe('1 run running');
    expect(byId(model({ waitingCount: 1 }), 'waiting').label).toBe('1 agent waiting for input');
    const items = model({ runningCount: 3, waitingCount: 2 });
    expect(byId(items, 'running')).toMatchObject({ label: '3 runs running', enabled: false });
    expect(byId(items, 'waiting')).toMatchObject({ label: '2 agents waiting for input', enabled: false });
    expect(byId(items, 'cancel-all')).toMatchObject({ enabled: true, action: { kind: 'cancelAll' } });
  });

  it('offers the ten most recently edited or run workflows, newest first', () => {
    const workflows = Array.from({ length: 14 }, (_, i) => workflow(`w${i}`, `2026-02-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`));
    // An old workflow run a moment ago counts as recent.
    workflows.push(workflow('old-but-run', '2025-01-01T00:00:00.000Z', { lastRunAt: '2026-03-01T00:00:00.000Z' }));
    const items = model({ workflows });
    expect(startMenu(items).enabled).toBe(true);
    expect(startedIds(items)).toEqual(['old-but-run', 'w13', 'w12', 'w11', 'w10', 'w9', 'w8', 'w7', 'w6', 'w5']);
    expect(labels(startMenu(items).items).slice(0, 3)).toEqual(['Recent', 'Workflow old-but-run', 'Workflow w13']);
  });

  it('puts pinned workflows first, by name, however old, then fills up with recent ones', () => {
    const workflows = [
      ...Array.from({ length: 12 }, (_, i) => workflow(`w${i}`, `2026-02-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`)),
      workflow('nightly', '2024-01-01T00:00:00.000Z', { name: 'Nightly', pinned: true }),
      workflow('deploy', '2024-01-02T00:00:00.000Z', { name: 'Deploy', pinned: true }),
    ];
    const items = model({ workflows });
    expect(labels(startMenu(items).items)).toEqual(['Pinned', 'Deploy', 'Nightly', '---', 'Recent', ...['w11', 'w10', 'w9', 'w8', 'w7', 'w6', 'w5', 'w4'].map((id) => `Workflow ${id}`)]);
    expect(startedIds(items)).toHaveLength(10);
    expect(byId(startMenu(items).items, 'workflow:deploy').action).toEqual({ kind: 'startWorkflow', workflowId: 'deploy' });
  });

  it('with only pinned workflows: no Recent heading', () => {
    const items = model({ workflows: [workflow('a', '2026-01-01T00:00:00.000Z', { name: 'Alpha', pinned: true })] });
    expect(labels(startMenu(items).items)).toEqual(['Pinned', 'Alpha']);
    expect(byId(startMenu(items).items, 'pinned-header').enabled).toBe(false);
  });

  it('keeps labels short, on one line, and escapes & where menus read it as a mnemonic', () => {
    const long = workflow('a', '2026-01-02T00:00:00.000Z', { name: `Build &\n test ${'x'.repeat(80)}` });
    const linux = byId(startMenu(model({ workflows: [long], platform: 'linux' })).items, 'workflow:a').label;
    expect(linux).toMatch(/^Build && test x+…$/);
    expect(linux.length).toBeLessThanOrEqual(49);
    expect(byId(startMenu(model({ workflows: [long], platform: 'darwin' })).items, 'workflow:a').label).toMatch(/^Build & test/);
  });

  it('is plain data (the glue maps actions to functions)', () => {
    const items = model({ runningCount: 2, waitingCount: 1, workflows: [workflow('a', '2026-01-01T00:00:00.000Z', { pinned: true })], platform: 'win32' });
    expect(JSON.parse(JSON.stringify(items))).toEqual(items);
  });
});

describe('startableWorkflows', () => {
  it('never offers more pinned workflows than the limit, and then no recent ones', () => {
    const pinned = Array.from({ length: 12 }, (_, i) => workflow(`p${i}`, '2026-01-01T00:00:00.000Z', { name: `P${String(i).padStart(2, '0')}`, pinned: true }));
    const { pinned: offered, recent } = startableWorkflows([...pinned, workflow('r', '2026-03-01T00:00:00.000Z')], 10);
    expect(offered.map((w) => w.name)).toEqual(['P00', 'P01', 'P02', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08', 'P09']);
    expect(recent).toEqual([]);
  });
});

describe('recentWorkflows', () => {
  it('breaks ties by name and copes with bad dates', () => {
    const same = '2026-01-01T00:00:00.000Z';
    const list = [workflow('b', same, { name: 'Beta' }), workflow('a', same, { name: 'Alpha' }), workflow('x', 'garbage', { name: 'Broken' })];
    expect(recentWorkflows(list, 10).map((w) => w.name)).toEqual(['Alpha', 'Beta', 'Broken']);
  });
});

describe('trayTooltip', () => {
  it('names what runs and what waits, and only that', () => {
    expect(trayTooltip(0, 0)).toBe('Photon');
    expect(trayTooltip(2, 0)).toBe('Photon: 2 runs running');
    expect(trayTooltip(1, 1)).toBe('Photon: 1 run running, 1 agent waiting for input');
    expect(trayTooltip(0, 3)).toBe('Photon: 3 agents waiting for input');
  });
});

describe('the tray and the approvals inbox', () => {
  it('offers the inbox with its count while requests wait, and says nothing of it when none do', () => {
    expect(byId(model({}), 'approvals')).toBeUndefined();
    const items = model({ approvalsCount: 3 });
    expect(labels(items).slice(0, 3)).toEqual(['No runs running', 'No agents waiting', '3 waiting for approval']);
    expect(byId(items, 'approvals')).toMatchObject({ enabled: true, action: { kind: 'openApprovals' } });
    expect(trayTooltip(1, 0, 3)).toBe('Photon: 1 run running, 3 waiting for approval');
  });
});
