/**
 * Workflow steps as ACP sessions with the real agents, through the real `photon run`: a Claude Code
 * step (claude-agent-acp) and a Gemini step (gemini --acp) run in parallel, each asks to write a
 * file, photon run says how to answer, one `photon approve` from another terminal answers both, and
 * the steps' outputs (the agents' last messages), tokens and cost are what the run records.
 * A Codex step (codex-acp) asks to run the command that writes its file and runs it once approved:
 * its Codex home is beside the attempt's temp folder, not under it, where Codex refuses to set up
 * its sandbox helper ("Refusing to create helper binaries under temporary dir").
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adapterOrSkip, aiStep, photonEnv, photonRun, step, useRealClis } from './harness.js';
import { repoRoot, run } from './install.js';

const context = useRealClis();

describe('session steps with the real ACP adapters', () => {
  it('runs a Claude Code and a Gemini step as sessions whose requests one photon approve from another terminal answers', async (test) => {
    if (!adapterOrSkip(context, 'claude-agent-acp', test)) return;
    const files = { claude: join(context.work, 'claude-step.txt'), gemini: join(context.work, 'gemini-step.txt') };
    const asked = new Set<string>();
    let writtenWhileWaiting: boolean[] | undefined;
    let approving: ReturnType<typeof run> | undefined;

    const { code, json, stderr } = await photonRun(
      context,
      'acp-steps',
      [
        aiStep(1, 'claude', `write the file ${files.claude} with: CLAUDE-STEP-WROTE [tag:claude-step]`, { mode: 'session', label: 'Claude writes' }),
        aiStep(2, 'gemini', `write the file ${files.gemini} with: GEMINI-STEP-WROTE [tag:gemini-step]`, { mode: 'session', label: 'Gemini writes' }),
      ],
      240_000,
      {},
      (said) => {
        for (const line of said.matchAll(/asks: .*Answer from any terminal: photon approve (\S+)/g)) asked.add(line[1]!);
        if (asked.size < 2 || approving) return;
        writtenWhileWaiting = [existsSync(files.claude), existsSync(files.gemini)];
        approving = run(process.execPath, [join(repoRoot, 'bin', 'photon.js'), 'approve', ...asked, '--data-dir', context.dataDir], { env: photonEnv(context, {}), timeoutMs: 60_000 });
      },
    );
    expect(approving, `photon run never said how to answer two requests:\n${stderr.slice(-3000)}`).toBeDefined();
    const approved = await approving!;
    expect(approved.code, approved.output).toBe(0);
    expect(writtenWhileWaiting).toEqual([false, false]);
    expect(stderr).toMatch(/Step 1 \(Claude writes\): ".*" allowed by you/);
    expect(stderr).toMatch(/Step 2 \(Gemini writes\): ".*" allowed by you/);

    expect(code, stderr.slice(-3000)).toBe(0);
    expect(readFileSync(files.claude, 'utf8')).toBe('CLAUDE-STEP-WROTE\n');
    expect(readFileSync(files.gemini, 'utf8')).toBe('GEMINI-STEP-WROTE\n');
    const claudeStep = step(json.steps, 1);
    expect(claudeStep).toMatchObject({ status: 'succeeded', attempts: 1, output: `TOOL-SAID: File created successfully at: ${files.claude}` });
    // The tokens the server charged for the step's turn (Claude's uncached input apart, as it reports it).
    const served = context.server.requestsOf('claude-step').flatMap((r) => (r.status === 200 && r.usage ? [r.usage] : []));
    expect(claudeStep.tokens).toMatchObject({ output: served.reduce((sum, u) => sum + u.output, 0) });
    expect(claudeStep.costUsd).toBeGreaterThan(0);
    const geminiStep = step(json.steps, 2);
    expect(geminiStep).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(geminiStep.output).toMatch(/^TOOL-SAID: Successfully created and wrote to new file/);
    expect(geminiStep.tokens?.input).toBeGreaterThan(0);
  });

  it('runs a Codex step as a session whose command runs once photon approve answers it', async (test) => {
    if (!adapterOrSkip(context, 'codex-acp', test)) return;
    const file = join(context.work, 'codex-step.txt');
    let approving: ReturnType<typeof run> | undefined;
    let writtenWhileWaiting: boolean | undefined;
    const { code, json, stderr } = await photonRun(
      context,
      'acp-codex-step',
      [aiStep(1, 'codex', `write the file ${file} with: CODEX-STEP-WROTE [tag:codex-step]`, { mode: 'session', label: 'Codex writes' })],
      240_000,
      {},
      (said) => {
        const asked = /asks: .*Answer from any terminal: photon approve (\S+)/.exec(said);
        if (!asked || approving) return;
        writtenWhileWaiting = existsSync(file);
        approving = run(process.execPath, [join(repoRoot, 'bin', 'photon.js'), 'approve', asked[1]!, '--data-dir', context.dataDir], { env: photonEnv(context, {}), timeoutMs: 60_000 });
      },
    );
    expect(approving, `photon run never said how to answer the request:\n${stderr.slice(-3000)}`).toBeDefined();
    expect((await approving!).code).toBe(0);
    expect(writtenWhileWaiting).toBe(false);
    expect(code, stderr.slice(-3000)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('CODEX-STEP-WROTE\n');
    expect(step(json.steps, 1)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(step(json.steps, 1).output).toMatch(/^TOOL-SAID: .*Process exited with code 0/);
  });
});
