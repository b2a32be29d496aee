import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToEnd, shellStep, stepOf, useSandbox, workflowOf } from '../helpers.js';

const sandbox = useSandbox('conditions');

describe('a step with "when"', () => {
  it('runs when its condition over an ancestor is true, and is skipped with the expression when it is false', async () => {
    const { status, detail } = await runToEnd(sandbox, [
      shellStep(1, 'echo build'),
      shellStep(2, 'touch deployed', { dependencies: [1], when: 'steps.1.status == "succeeded" && steps.1.output == "build"' }),
      shellStep(3, 'touch rolled-back', { dependencies: [1], when: 'steps.1.status == "failed"' }),
      // Below a step skipped by its condition: skipped too, and said to be for another reason.
      shellStep(4, 'touch after-rollback', { dependencies: [3] }),
    ]);
    expect(status).toBe('succeeded');
    expect(existsSync(join(sandbox.work, 'deployed'))).toBe(true);
    expect(existsSync(join(sandbox.work, 'rolled-back'))).toBe(false);
    expect(existsSync(join(sandbox.work, 'after-rollback'))).toBe(false);
    expect(stepOf(detail, 2).status).toBe('succeeded');
    expect(stepOf(detail, 3)).toMatchObject({ status: 'skipped', skipped: 'condition', error: 'condition false: steps.1.status == "failed"', attempts: 0 });
    expect(stepOf(detail, 4)).toMatchObject({ status: 'skipped', skipped: 'dependency', attempts: 0 });
  });

  it('decides after a failed dependency when it reads that dependency\'s status (a fallback), and only then', async () => {
    const { status, detail } = await runToEnd(sandbox, [
      shellStep(1, 'exit 3'),
      shellStep(2, 'touch fallback', { dependencies: [1], when: 'steps.1.status == "failed" && steps.1.exitCode == 3' }),
      // Its condition does not read step 1's status: skipped as any step below a failure.
      shellStep(3, 'touch unrelated', { dependencies: [1], when: 'steps.1.exitCode == 3' }),
    ]);
    expect(status).toBe('failed');
    expect(existsSync(join(sandbox.work, 'fallback'))).toBe(true);
    expect(existsSync(join(sandbox.work, 'unrelated'))).toBe(false);
    expect(stepOf(detail, 2).status).toBe('succeeded');
    expect(stepOf(detail, 3)).toMatchObject({ status: 'skipped', skipped: 'dependency' });
  });

  it('is refused before the run when it reads a step that is not an ancestor, or does not parse', async () => {
    const start = (when: string) =>
      sandbox.engine.call('runs.start', {
        baseDir: sandbox.work,
        workflow: workflowOf([shellStep(1, 'true'), shellStep(2, 'true'), shellStep(3, 'touch ran', { dependencies: [1], when })]),
      });
    await expect(start('steps.2.status == "succeeded"')).rejects.toThrow(/workflow\[2\]\.when: steps\.2\.status: step 2 is not an ancestor of step 3/);
    await expect(start('steps.1.status == ')).rejects.toThrow(/workflow\[2\]\.when: .* at character 19/);
    await expect(start('process.exit(1)')).rejects.toThrow(/workflow\[2\]\.when: a condition cannot call functions/);
    await expect(start('steps.1.json.ok')).rejects.toThrow(/workflow\[2\]\.when: steps\.1\.json: step 1 does not declare "output": "json"/);
    expect(existsSync(join(sandbox.work, 'ran'))).toBe(false);
  });
});

describe('a step with "output": "json"', () => {
  const report = `printf '%s\\n' '\`\`\`json' '{"score": 0.93, "files": ["a.ts", "b.ts"], "summary": {"title": "ok"}}' '\`\`\`'`;

  it('is read (code fence and all) by a condition and by templates of its descendants', async () => {
    const { status, detail } = await runToEnd(sandbox, [
      shellStep(1, report, { output: 'json' }),
      shellStep(2, `printf '%s|%s|%s' '{{steps.1.json.summary.title}}' '{{steps.1.json.files.1}}' '{{steps.1.json.files}}' > used.txt`, {
        dependencies: [1],
        when: 'steps.1.json.score > 0.8 && steps.1.json.files[0] == "a.ts"',
      }),
      shellStep(3, 'touch low-score', { dependencies: [1], when: 'steps.1.json.score <= 0.8' }),
    ]);
    expect(status).toBe('succeeded');
    expect(readFileSync(join(sandbox.work, 'used.txt'), 'utf8')).toBe('ok|b.ts|["a.ts","b.ts"]');
    expect(stepOf(detail, 3)).toMatchObject({ status: 'skipped', skipped: 'condition', error: 'condition false: steps.1.json.score <= 0.8' });
  });

  it('fails with the parse position when its output is not JSON, and its descendants do not run', async () => {
    const { status, detail } = await runToEnd(sandbox, [
      shellStep(1, `printf '{"score": 0.9,\\n "files": [1, 2,]}\\n'`, { output: 'json' }),
      shellStep(2, 'touch ran', { dependencies: [1] }),
    ]);
    expect(status).toBe('failed');
    expect(stepOf(detail, 1).status).toBe('failed');
    expect(stepOf(detail, 1).error).toMatch(/^the output is not JSON: invalid JSON at line 2, column 1\d/);
    expect(stepOf(detail, 2)).toMatchObject({ status: 'skipped', skipped: 'dependency' });
    expect(existsSync(join(sandbox.work, 'ran'))).toBe(false);
  });

  it('fails with the JSON path when its output does not match its outputSchema', async () => {
    const schema = { type: 'object', required: ['score'], properties: { score: { type: 'number', maximum: 1 }, files: { type: 'array', items: { type: 'string' } } } };
    const { detail } = await runToEnd(sandbox, [shellStep(1, `echo '{"score": 0.5, "files": ["a", 7]}'`, { output: 'json', outputSchema: schema })]);
    expect(stepOf(detail, 1).status).toBe('failed');
    expect(stepOf(detail, 1).error).toBe('the output does not match its outputSchema: /files/1 must be string');
  });
});
