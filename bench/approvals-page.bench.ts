/**
 * The approvals inbox as a person sees it: `photon serve`, Chromium on the Approvals page, and 10
 * ACP sessions of the stand-in agent (test/fixtures/acp-agent.mjs as `claude-agent-acp` on a
 * private PATH) each asking 20 permissions in a row, 200 in all, answered by clicking Allow once.
 * Measured, as epoch milliseconds on this machine (the agent's and the page's clocks are both
 * performance.timeOrigin + now()):
 *   - request to shown: the agent sends `session/request_permission` -> the frame that draws the
 *     item in the page (a requestAnimationFrame after it enters the DOM);
 *   - click to agent: the click on Allow once -> the agent has the answer.
 * Prints median and p99 of each. Goal (issue 16): under 50 ms each way. The engine's own part is
 * bench/approvals.bench.ts. Options: --sessions N, --requests N. Not a test.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../test/e2e/support/chromium.js';
import { callServer } from '../test/e2e/support/rpc.js';
import { makeDataDir, removeDataDir, startPhotonServer } from '../test/e2e/support/photon-server.js';
import { buildRenderer, rendererIsStale } from '../test/global-setup.js';
import { acpBenchSetup } from './lib/acp-bench-setup.js';

const { sessionCount, perSession, root, bin, work } = acpBenchSetup('photon-approvals-page-bench-');

if (rendererIsStale()) await buildRenderer();
const dataDir = makeDataDir();
const server = await startPhotonServer(dataDir, 0, { env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: root } });
const browser = await launchChromium();

interface Mark {
  label: string;
  at: number;
}

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.url}#/approvals`);
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
  await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
  // The person, played in the page: each new item is noted in the frame that draws it, then its
  // Allow once is clicked (the click's time noted as the click event starts).
  // A string, not a function: tsx would name the function's inner closures with a helper the page lacks.
  await page.evaluate(`(() => {
    const now = () => performance.timeOrigin + performance.now();
    const marks = { shown: [], clicked: [] };
    window.benchMarks = marks;
    const seen = new Set();
    new MutationObserver(() => {
      for (const card of document.querySelectorAll('.approval-card')) {
        const label = card.getAttribute('aria-label') ?? '';
        if (seen.has(label)) continue;
        seen.add(label);
        requestAnimationFrame(() => {
          marks.shown.push({ label, at: now() });
          const allow = [...card.querySelectorAll('button')].find((b) => b.textContent === 'Allow once');
          allow?.addEventListener('click', () => marks.clicked.push({ label, at: now() }), { capture: true, once: true });
          allow?.click();
        });
      }
    }).observe(document.body, { childList: true, subtree: true });
  })()`);

  const files: string[] = [];
  for (let k = 0; k < sessionCount; k++) {
    const info = (await callServer(server, 'sessions.start', { tool: 'claude-code', cwd: work, agentName: `bench-${k}` })) as { id: string };
    const file = join(root, `session-${k}.jsonl`);
    files.push(file);
    writeFileSync(file, '');
    await callServer(server, 'sessions.send', { id: info.id, text: `bench ${perSession} ${file}` });
  }
  const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  const deadline = Date.now() + 120_000;
  while (files.some((f) => lines(f).length < perSession)) {
    if (Date.now() > deadline) throw new Error('the agents did not get every answer within 2 minutes');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const marks = (await page.evaluate('window.benchMarks')) as { shown: Mark[]; clicked: Mark[] };
  const shownAt = new Map(marks.shown.map((m) => [m.label, m.at]));
  const clickedAt = new Map(marks.clicked.map((m) => [m.label, m.at]));
  const toShown: number[] = [];
  const toAgent: number[] = [];
  files.forEach((file, k) => {
    lines(file).forEach((line, i) => {
      const { sent, received } = JSON.parse(line) as { sent: number; received: number };
      const label = `bench-${k} wants to run echo ${i}`;
      const shown = shownAt.get(label);
      const clicked = clickedAt.get(label);
      if (shown === undefined || clicked === undefined) throw new Error(`the page never showed or clicked "${label}"`);
      toShown.push(shown - sent);
      toAgent.push(received - clicked);
    });
  });
  const quantile = (list: number[], q: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.ceil(q * list.length) - 1)]!;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(`approvals in the page: ${toShown.length} requests from ${sessionCount} sessions at once (load ${loadavg()[0]!.toFixed(2)})`);
  console.log(`  request -> item drawn   median ${ms(quantile(toShown, 0.5))}  p99 ${ms(quantile(toShown, 0.99))}`);
  console.log(`  click -> agent answered median ${ms(quantile(toAgent, 0.5))}  p99 ${ms(quantile(toAgent, 0.99))}`);
} finally {
  await browser.close();
  await server.stop();
  removeDataDir(dataDir);
  rmSync(root, { recursive: true, force: true });
}
