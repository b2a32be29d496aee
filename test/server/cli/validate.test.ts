import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { photon, tempFolder, writeWorkflow } from './helpers.js';

const temp = tempFolder();
afterAll(() => temp.cleanup());

describe('photon validate and invalid files', () => {
  it('accepts a valid file, exit 0', async () => {
    const file = writeWorkflow(temp.dir, 'Valid', [{ step: 1, command: 'true' }, { step: 2, command: 'true', dependencies: [1] }]);
    const result = await photon(['validate', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('valid, "Valid" with 2 steps');
  });

  it('prints every issue as `place: message` on stderr, exit 2', async () => {
    const file = join(temp.dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Bad',
        workflow: [
          { step: 1, platform: 'shell', inputs: { command: 'true' }, dependencies: [7] },
          { step: 2, platform: 'copilot', inputs: { prompt: 'hi' }, dependencies: [] },
        ],
      }),
    );
    const result = await photon(['validate', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toContain('is not a valid workflow');
    expect(lines).toContain('workflow[0].dependencies[0]: step 7 does not exist');
    expect(lines.some((l) => /^workflow\[1\]\.platform: unknown platform "copilot"; use one of: shell, claude-code, /.test(l))).toBe(true);
  });

  it('reports a cycle with its steps in order', async () => {
    const file = writeWorkflow(temp.dir, 'Cycle', [
      { step: 1, command: 'true' },
      { step: 3, command: 'true', dependencies: [1, 5] },
      { step: 4, command: 'true', dependencies: [3] },
      { step: 5, command: 'true', dependencies: [4] },
    ]);
    const result = await photon(['validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cycle: 3 -> 4 -> 5 -> 3/);
  });

  it('gives the line and column of bad JSON', async () => {
    const file = join(temp.dir, 'broken.json');
    writeFileSync(file, '{\n  "name": "x",\n  oops\n}');
    const result = await photon(['validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/line 3, column 3/);
  });

  it('names a file that cannot be read, exit 2', async () => {
    const result = await photon(['validate', join(temp.dir, 'nope.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read workflow file');
    expect(result.stderr).toContain('no such file');
  });

  it('runs nothing and writes nothing for an invalid file, exit 2', async () => {
    const marker = join(temp.dir, 'ran');
    const file = writeWorkflow(temp.dir, 'Half bad', [{ step: 1, command: `touch ${marker}` }, { step: 2, command: 'true', dependencies: [9] }]);
    const dataDir = join(temp.dir, 'untouched-data');
    const result = await photon(['run', file, '--data-dir', dataDir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('workflow[1].dependencies[0]: step 9 does not exist');
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('photon validate and run on hostile or unusual files', () => {
  const shellFile = { name: 'Encoded', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'echo encoded-ok' }, dependencies: [] }] };

  const json = JSON.stringify(shellFile, null, 2);
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]);
  // One encoding a test, each with its own time: the three in one test started six photon
  // processes one after another, and under load (about 1.5 s a start at load 5) ran out of it.
  it.each([
    ['UTF-8 with a byte order mark', 'utf8-bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)])],
    ['UTF-16 LE with a byte order mark', 'utf16le.json', le],
    ['UTF-16 BE with a byte order mark', 'utf16be.json', Buffer.from(le).swap16()],
  ])('reads a file saved as %s', async (_encoding, name, bytes) => {
    const file = join(temp.dir, name);
    writeFileSync(file, bytes);
    const validated = await photon(['validate', file]);
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
    const ran = await photon(['run', file, '--data-dir', join(temp.dir, `data-${name}`)]);
    expect(ran.code).toBe(0);
  });

  it('agrees with run on metadata nested 5,000 deep: refused with its place, nothing written', async () => {
    const file = join(temp.dir, 'deep.json');
    const deep = `${'{"a":'.repeat(5000)}"x"${'}'.repeat(5000)}`;
    writeFileSync(file, `{"name":"Deep","metadata":{"deep":${deep}},"workflow":[{"step":1,"platform":"shell","inputs":{"command":"true"}}]}`);
    const validated = await photon(['validate', file]);
    expect(validated.code).toBe(2);
    expect(validated.stderr).toMatch(/^metadata\.deep\.a\.a\.a\.a\.a\.a\.….a\.a: nested more than 100 levels deep/m);
    const dataDir = join(temp.dir, 'deep-data');
    const ran = await photon(['run', file, '--data-dir', dataDir]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toBe(validated.stderr);
    expect(ran.stderr).not.toContain('internal');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses a NUL inside a command with its place, instead of running the command cut short', async () => {
    const file = join(temp.dir, 'nul.json');
    writeFileSync(file, JSON.stringify({ name: 'Nul', workflow: [{ step: 1, platform: 'shell', inputs: { command: 'echo safe\u0000; rm -rf x' } }] }));
    const result = await photon(['validate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('workflow[0].inputs.command: holds a NUL character (\\u0000) at character 10');
  });

  it('describes bad JSON on one line, however V8 quotes the text', async () => {
    const file = join(temp.dir, 'multiline-excerpt.json');
    writeFileSync(file, 'x\ny\nzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\n');
    const result = await photon(['validate', file]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe("invalid JSON at line 1, column 1: Unexpected token 'x', near: x");
  });
});
