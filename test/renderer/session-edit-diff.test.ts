import { parseDiff } from 'react-diff-view';
import { describe, expect, it } from 'vitest';
import { editDiff, shownPath } from '../../renderer/sessions/edit-diff.js';

describe('an agent edit as a diff', () => {
  it('turns the old and new text into the unified diff the viewer parses, with counts', () => {
    const diff = editDiff([{ path: '/repo/src/app.ts', oldText: 'one\ntwo\nthree\n', newText: 'one\n2\nthree\nfour\n' }], '/repo');
    const [file] = parseDiff(diff.patch);
    expect(file!.newPath).toBe('src/app.ts');
    const changes = file!.hunks.flatMap((h) => h.changes.map((c) => `${c.type}:${c.content}`));
    expect(changes).toEqual(['normal:one', 'delete:two', 'insert:2', 'normal:three', 'insert:four']);
    expect(diff.files).toEqual([{ path: 'src/app.ts', status: 'modified', linesAdded: 2, linesRemoved: 1, binary: false }]);
    expect(diff.totals).toEqual({ filesChanged: 1, linesAdded: 2, linesRemoved: 1 });
  });

  it('shows a new file as added from nothing, and several files in one patch', () => {
    const diff = editDiff(
      [
        { path: '/repo/new.md', oldText: null, newText: '# Title\nbody\n' },
        { path: '/elsewhere/x.txt', oldText: 'a\n', newText: 'b\n' },
      ],
      '/repo',
    );
    const files = parseDiff(diff.patch);
    expect(files.map((f) => [f.type, f.newPath])).toEqual([
      ['add', 'new.md'],
      ['modify', 'elsewhere/x.txt'],
    ]);
    expect(files[0]!.hunks[0]!.changes.map((c) => c.content)).toEqual(['# Title', 'body']);
    expect(diff.files[0]).toMatchObject({ status: 'added', linesAdded: 2, linesRemoved: 0 });
  });

  it('names a path outside the folder in full, and one inside relative to it', () => {
    expect(shownPath('/repo/a/b.ts', '/repo')).toBe('a/b.ts');
    expect(shownPath('/repository/b.ts', '/repo')).toBe('repository/b.ts');
  });
});
