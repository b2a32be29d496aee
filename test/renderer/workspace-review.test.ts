import { parseDiff } from 'react-diff-view';
import { describe, expect, it } from 'vitest';
import { eagerLineBudget, foldedFileLines, languageOf, renderingPlan } from '../../renderer/workspaces/diff-files.js';
import { highlightHunks } from '../../renderer/workspaces/diff-highlight.js';
import { changesText, codeMark, removedText, resultReady, strategyWords, worktreesOnDisk } from '../../renderer/workspaces/workspace-words.js';
import { createClient } from '../../renderer/client/photon-client.js';
import { withRunWorkspace } from '../../renderer/store/runs-slice.js';
import { createPhotonStore } from '../../renderer/store/store.js';
import { startSync } from '../../renderer/sync/sync.js';
import { FakeTransport, settle } from './fake-transport.js';
import { runDetail, runSummary, systemInfo } from './fixtures.js';
import type { RunDetail } from '../../shared/runs.js';
import type { RunWorkspace } from '../../shared/workspaces.js';

const workspace: RunWorkspace = {
  repo: '/home/me/project',
  baseRef: 'main',
  baseCommit: 'a'.repeat(40),
  branch: 'photon/r1',
  resultCommit: 'b'.repeat(40),
  changes: { filesChanged: 2, linesAdded: 5, linesRemoved: 2 },
  error: null,
  notes: [],
  outcome: null,
};

describe('what changed, in words', () => {
  it('counts files and lines, says "No changes" for none, and nothing while unknown', () => {
    expect(changesText({ filesChanged: 1, linesAdded: 1, linesRemoved: 0 })).toBe('1 file changed, +1 −0');
    expect(changesText({ filesChanged: 1200, linesAdded: 35_000, linesRemoved: 2 })).toBe('1,200 files changed, +35,000 −2');
    expect(changesText({ filesChanged: 0, linesAdded: 0, linesRemoved: 0 })).toBe('No changes');
    expect(changesText(null)).toBeNull();
    expect(changesText(undefined)).toBeNull();
  });

  it("marks a step's node by what its code did", () => {
    expect(codeMark({ filesChanged: 3, linesAdded: 10, linesRemoved: 4 })).toEqual({ kind: 'changed', files: 3, added: 10, removed: 4 });
    expect(codeMark({ filesChanged: 0, linesAdded: 0, linesRemoved: 0 })).toEqual({ kind: 'unchanged' });
    expect(codeMark(null)).toBeNull();
  });

  it('says what each merge strategy does to the branch named', () => {
    expect(strategyWords('ff', 'release', 'photon/r1')).toBe("Moves release to the run's result (photon/r1), keeping each step's commit; refused if release has moved since the run started.");
    expect(strategyWords('squash', 'release', 'photon/r1')).toBe("Adds one commit to release holding all of the run's changes.");
    expect(strategyWords('merge-commit', 'dev', 'photon/r1')).toContain('Adds a merge commit to dev');
  });

  it('says what was removed and what was kept, with why', () => {
    expect(removedText({ worktrees: ['/w/1'], branches: ['photon/r1', 'photon/r1-step-1'], kept: [] })).toBe('Removed 1 worktree and 2 branches.');
    expect(removedText({ worktrees: [], branches: [], kept: [{ branch: 'photon/r1-step-2', reason: 'checked out in /home/me/other' }] })).toBe(
      'Removed 0 worktrees and 0 branches. Kept photon/r1-step-2: checked out in /home/me/other.',
    );
  });

  it('offers landing only for an ended run that has a result, and counts the worktrees still on disk', () => {
    expect(resultReady({ status: 'succeeded', workspace })).toBe(true);
    expect(resultReady({ status: 'running', workspace })).toBe(false);
    expect(resultReady({ status: 'failed', workspace: { ...workspace, resultCommit: null } })).toBe(false);
    expect(resultReady({ status: 'succeeded' })).toBe(false);
    const step = (state: 'committed' | 'removed' | 'kept') => ({ workspace: { state } }) as unknown as RunDetail['steps'][number];
    expect(worktreesOnDisk({ steps: [step('committed'), step('removed'), step('kept'), { workspace: undefined } as unknown as RunDetail['steps'][number]] })).toBe(2);
  });
});

describe('drawing large diffs lazily', () => {
  it('draws the first files up to the budget at once, later ones when scrolled to, and huge ones on request', () => {
    const file = (lines: number) => ({ linesAdded: lines, linesRemoved: 0 });
    expect(renderingPlan([file(10), file(20)])).toEqual(['now', 'now']);
    expect(renderingPlan([file(eagerLineBudget - 5), file(10), file(1)])).toEqual(['now', 'when-visible', 'when-visible']);
    expect(renderingPlan([file(foldedFileLines + 1), file(3)])).toEqual(['on-request', 'now']);
    expect(renderingPlan([])).toEqual([]);
  });

  it('knows a file’s syntax from its name', () => {
    expect(languageOf('src/app/Main.TSX')).toBe('tsx');
    expect(languageOf('lib/x.py')).toBe('python');
    expect(languageOf('Makefile')).toBe('makefile');
    expect(languageOf('.gitignore')).toBeNull();
    expect(languageOf('notes.txt')).toBeNull();
    expect(languageOf('a.dir/README')).toBeNull();
  });
});

const patch = [
  'diff --git a/src/greet.ts b/src/greet.ts',
  'new file mode 100644',
  'index 0000000..1111111',
  '--- /dev/null',
  '+++ b/src/greet.ts',
  '@@ -0,0 +1,3 @@',
  '+export function greet(name: string): string {',
  "+  return 'Hello, ' + name;",
  '+}',
  'diff --git a/notes.txt b/notes.txt',
  'index 2222222..3333333 100644',
  '--- a/notes.txt',
  '+++ b/notes.txt',
  '@@ -1,2 +1,2 @@',
  '-line 1',
  '+line 1 by A',
  ' line 2',
  '',
].join('\n');

describe('highlighting a diff', () => {
  const [ts, txt] = parseDiff(patch, { nearbySequences: 'zip' });

  it("gives a TypeScript file Prism's tokens", () => {
    const tokens = highlightHunks(ts!.hunks, ts!.newPath);
    expect(tokens).not.toBeNull();
    const firstLine = JSON.stringify(tokens!.new[0]);
    expect(firstLine).toContain('"keyword"');
    expect(firstLine).toContain('export');
  });

  it('marks the words changed within a line of a plain-text file', () => {
    const tokens = highlightHunks(txt!.hunks, txt!.newPath);
    expect(JSON.stringify(tokens!.new[0])).toContain('"edit"');
    expect(JSON.stringify(tokens!.new[0])).not.toContain('"keyword"');
  });
});

describe("a run's workspace in the store", () => {
  it('replaces the workspace of an open run and ignores runs no view holds', () => {
    const run = { runId: 'r1', workspace: { ...workspace, resultCommit: null } } as unknown as RunDetail;
    const state = { list: [], loaded: true, byId: { r1: run } };
    expect(withRunWorkspace(state, 'r1', workspace).byId.r1!.workspace).toEqual(workspace);
    expect(withRunWorkspace(state, 'r2', workspace)).toBe(state);
  });
});

describe('workspace.updated', () => {
  it("reaches the open run's page: its result branch made, merged or discarded", async () => {
    const t0 = '2026-01-01T10:00:00.000Z';
    const transport = new FakeTransport({ status: 'open', attempt: 0, retryAt: null, reason: null });
    transport
      .handle('system.info', () => systemInfo)
      .handle('workflows.list', () => [])
      .handle('runs.list', () => [runSummary('r1', t0)])
      .handle('runs.get', () => ({ ...runDetail('r1', t0), workspace: { ...workspace, resultCommit: null, changes: null } }));
    const store = createPhotonStore();
    store.getState().setRoute({ view: 'run', id: 'r1' });
    const sync = startSync(createClient(transport), store);
    await settle();
    expect(store.getState().runs.byId.r1!.workspace!.resultCommit).toBeNull();

    transport.emit('workspace.updated', { runId: 'r1', workspace });
    // Events may be applied with the rest of their frame.
    await expect.poll(() => store.getState().runs.byId.r1!.workspace).toEqual(workspace);
    sync.stop();
  });
});
