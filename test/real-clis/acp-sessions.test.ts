/**
 * The real Gemini CLI speaking ACP (`gemini --acp`) as a Photon session of the suite's saved Gemini
 * agent (base URL in its variables, key from the keychain), against the stand-in model server:
 * Photon's ACP client and the tool registry's ACP mode with the real agent code end to end. It
 * reads without asking; a write asks, waits in Photon's inbox, and happens once allowed there.
 * Claude Code's and Codex's adapters are in acp-adapters.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acpEngine, until, waitingRequest, type AcpEngine } from './acp-session.js';
import { agentIds, skipWithoutClis, useRealClis } from './harness.js';

const context = useRealClis();
let acp: AcpEngine | undefined;

afterEach(async () => {
  await acp?.engine.close();
  acp = undefined;
});

describe('gemini --acp as a Photon session', () => {
  it('streams the real agent answer, reads a file without asking, and writes one only once allowed from the inbox', async (test) => {
    skipWithoutClis(context, test);
    if (!context.setup.ready) return;
    acp = await acpEngine(context);
    const session = await acp.engine.call('sessions.start', { agentId: agentIds.gemini, cwd: context.work });
    expect(session).toMatchObject({ tool: 'gemini', agentName: 'Gemini', status: 'idle' });
    const id = session.id;

    await acp.engine.call('sessions.send', { id, text: 'reply with: ACP-SAYS-HELLO [tag:acp-hello]' });
    await until(() => acp!.turnsEnded(id) === 1, 'the first turn');
    expect(acp.lastAgentText(id)).toContain('ACP-SAYS-HELLO');
    expect(context.server.requestsOf('acp-hello').some((r) => r.status === 200)).toBe(true);

    writeFileSync(join(context.work, 'acp-note.txt'), 'FILE-SAYS-ACP-READ\n');
    await acp.engine.call('sessions.send', { id, text: 'read the file acp-note.txt [tag:acp-read]' });
    await until(() => acp!.turnsEnded(id) === 2, 'the second turn');
    expect(acp.lastAgentText(id)).toContain('FILE-SAYS-ACP-READ');
    const reads = acp.entries(id).filter((e) => e.type === 'tool_call' && e.call.kind === 'read');
    expect(reads).toMatchObject([{ call: { status: 'completed', locations: [join(context.work, 'acp-note.txt')] } }]);
    expect(acp.approvals).toEqual([]);

    const file = join(context.work, 'gemini-acp.txt');
    await acp.engine.call('sessions.send', { id, text: `write the file ${file} with: GEMINI-ACP-WROTE [tag:acp-write]` });
    const request = await waitingRequest(acp, id, 3);
    expect(request).toMatchObject({ kind: 'permission', tool: 'gemini', agentName: 'Gemini', toolKind: 'edit', diffs: [{ path: file, newText: 'GEMINI-ACP-WROTE\n' }] });
    expect(existsSync(file)).toBe(false);
    expect(await acp.engine.call('approvals.answer', { ids: [request.id], answer: 'once' })).toMatchObject([{ ok: true }]);
    await until(() => acp!.turnsEnded(id) === 3, 'the third turn');
    expect(readFileSync(file, 'utf8')).toBe('GEMINI-ACP-WROTE\n');
    expect(acp.lastAgentText(id)).toMatch(/^TOOL-SAID: Successfully created and wrote to new file/);
    expect(acp.entries(id).filter((e) => e.type === 'tool_call' && e.call.kind === 'edit')).toMatchObject([{ call: { status: 'completed', diffs: [{ path: file }] } }]);

    const { info } = await acp.engine.call('sessions.get', { id });
    expect(info.status).toBe('idle');
    // Gemini reports each turn's tokens (in _meta.quota), summed here. It leaves out some of its own
    // side requests that the server also charged (5,555 served against 3,407 reported, seen here),
    // so the sum is checked to be real and within what was served, not equal to it.
    const served = ['acp-hello', 'acp-read', 'acp-write'].flatMap((tag) => context.server.requestsOf(tag)).flatMap((r) => (r.usage ? [r.usage] : []));
    expect(info.usage.inputTokens).toBeGreaterThan(0);
    expect(info.usage.outputTokens).toBeGreaterThan(0);
    expect(info.usage.inputTokens).toBeLessThanOrEqual(served.reduce((sum, u) => sum + u.input, 0));
  });
});
