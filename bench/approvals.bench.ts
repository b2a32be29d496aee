/**
 * The approvals inbox's latency through a real engine: 10 ACP sessions of the stand-in agent
 * (test/fixtures/acp-agent.mjs, installed as `claude-agent-acp` on a private PATH) each ask 20
 * permissions in a row, 200 in all. Measured, as epoch milliseconds on this machine:
 *   - request to inbox: the agent sends `session/request_permission` -> the engine announces the
 *     waiting item (`approval.updated`), as a client of the contract receives it;
 *   - answer to agent: `approvals.answer` is called -> the agent has the answer.
 * Prints median and p99 of each. The page's own part (event to item drawn, click to call) is the
 * UI's to measure. Goal (issue 16): under 50 ms each way. Options: --sessions N, --requests N.
 * Not a test.
 */
import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../electron/engine/index.js';
import { acpBenchSetup } from './lib/acp-bench-setup.js';

const now = () => performance.timeOrigin + performance.now();
const { sessionCount, perSession, root, bin, work } = acpBenchSetup('photon-approvals-bench-');

const engine = await createEngine({ dataDir: join(root, 'data'), host: 'cli', loginShell: false, env: { ...process.env, PATH: `${bin}:/usr/bin:/bin` } });
const inboxAt = new Map<string, number>();
const clickAt = new Map<string, number>();
let answered = 0;
const total = sessionCount * perSession;
const finished = new Promise<void>((resolve) => {
  engine.on('approval.updated', (item) => {
    if (item.status !== 'waiting') return;
    const seen = now();
    inboxAt.set(`${item.sessionId}:${item.title}`, seen);
    clickAt.set(`${item.sessionId}:${item.title}`, now());
    void engine.call('approvals.answer', { ids: [item.id], answer: 'once' }).then(() => {
      if (++answered === total) resolve();
    });
  });
});

const sessions = await Promise.all(Array.from({ length: sessionCount }, () => engine.call('sessions.start', { tool: 'claude-code', cwd: work })));
const out = join(root, 'timings.jsonl');
const started = now();
for (const session of sessions) await engine.call('sessions.send', { id: session.id, text: `bench ${perSession} ${out} ${session.id}` });
await finished;
// The agents write their last line once the answer arrives: let them.
for (let i = 0; i < 100 && readFileSync(out, 'utf8').trim().split('\n').length < total; i++) await new Promise((r) => setTimeout(r, 20));
const elapsed = now() - started;

const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { title: string; sent: number; received: number });
const inbox: number[] = [];
const back: number[] = [];
for (const line of lines) {
  const key = [...inboxAt.keys()].find((k) => k.endsWith(`:${line.title}`))!;
  inbox.push(inboxAt.get(key)! - line.sent);
  back.push(line.received - clickAt.get(key)!);
}

const quantile = (list: number[], q: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.ceil(q * list.length) - 1)]!;
const ms = (v: number) => `${v.toFixed(1)} ms`;
console.log(`approvals: ${inbox.length} requests from ${sessionCount} sessions in ${(elapsed / 1000).toFixed(1)} s (load ${loadavg()[0]!.toFixed(2)})`);
console.log(`  request -> inbox event   median ${ms(quantile(inbox, 0.5))}  p99 ${ms(quantile(inbox, 0.99))}`);
console.log(`  answer call -> agent     median ${ms(quantile(back, 0.5))}  p99 ${ms(quantile(back, 0.99))}`);
await engine.close();
rmSync(root, { recursive: true, force: true });
