/**
 * `GET /metrics`: the engine's numbers in the Prometheus text format (version 0.0.4), so the
 * tools people already run can scrape Photon. Behind the token like every other request: a
 * scraper sends it as `Authorization: Bearer …` (Prometheus: `authorization: { credentials: … }`).
 */
import type { ServerResponse } from 'node:http';
import type { Engine } from '../../engine/index.js';
import type { MetricsExport } from '../../../shared/metrics.js';

export const metricsPath = '/metrics';
const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';

export async function servePrometheus(engine: Engine, response: ServerResponse, head: boolean): Promise<void> {
  const body = prometheusText(await engine.metricsExport());
  response.writeHead(200, { 'Content-Type': prometheusContentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  response.end(head ? undefined : body);
}

type Labels = Record<string, string>;
type Sample = { labels?: Labels; value: number; suffix?: string };

/** The whole page: one family per metric, each with its HELP and TYPE lines. */
function prometheusText({ snapshot, totals }: MetricsExport): string {
  const out: string[] = [];
  const family = (name: string, type: 'gauge' | 'counter' | 'summary', help: string, samples: readonly Sample[]) => {
    out.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
    for (const sample of samples) out.push(`${name}${sample.suffix ?? ''}${labelText(sample.labels)} ${numberText(sample.value)}`);
  };
  const one = (value: number): Sample[] => [{ value }];
  const { active, machine, engine } = snapshot;

  family('photon_runs_running', 'gauge', 'Runs this engine is executing now.', one(active.runs));
  family('photon_steps_running', 'gauge', 'Step attempts with a live process now.', one(active.steps));
  family('photon_steps_waiting_for_input', 'gauge', "Running steps whose terminal has been waiting for the user's input for about a second or more.", one(active.stepsWaitingForInput));
  family('photon_terminals_live', 'gauge', "Live terminals of every kind (steps' and the user's).", one(active.terminals));
  family('photon_agents_busy', 'gauge', 'Distinct agents with a running step (shell steps with default settings are not agents).', one(active.agentsBusy));
  family(
    'photon_agent_cpu_percent',
    'gauge',
    "CPU of an agent's running step process trees, in percent of one core. Absent where per-process numbers are not measured (Windows).",
    snapshot.agents.map((a) => ({ labels: { agent: a.agent }, value: a.cpuPercent })),
  );
  family(
    'photon_agent_resident_memory_bytes',
    'gauge',
    "Resident memory of an agent's running step process trees, summed over their processes.",
    snapshot.agents.map((a) => ({ labels: { agent: a.agent }, value: a.rssBytes })),
  );
  family('photon_machine_cpu_percent', 'gauge', 'CPU in use on the whole machine, in percent of all cores, over the last sample interval.', one(machine.cpuPercent));
  family('photon_machine_cpus', 'gauge', 'Logical CPUs of the machine.', one(machine.cpus));
  family('photon_machine_memory_used_bytes', 'gauge', 'Memory in use on the machine: total less what is available.', one(machine.memoryUsedBytes));
  family('photon_machine_memory_total_bytes', 'gauge', 'Memory of the machine.', one(machine.memoryTotalBytes));
  if (machine.load) {
    family('photon_machine_load1', 'gauge', 'Load average over 1 minute.', one(machine.load[0]));
    family('photon_machine_load5', 'gauge', 'Load average over 5 minutes.', one(machine.load[1]));
    family('photon_machine_load15', 'gauge', 'Load average over 15 minutes.', one(machine.load[2]));
  }
  family('photon_engine_cpu_percent', 'gauge', "CPU of the engine's own process, in percent of one core, over the last sample interval.", one(engine.cpuPercent));
  family('photon_engine_resident_memory_bytes', 'gauge', "Resident memory of the engine's own process.", one(engine.rssBytes));

  family(
    'photon_runs_total',
    'counter',
    'Runs that ended, by final status (succeeded, failed, cancelled, interrupted) and workflow name.',
    totals.runs.filter((r) => r.status !== 'running').map((r) => ({ labels: { status: r.status, workflow: r.workflow }, value: r.count })),
  );
  family(
    'photon_steps_total',
    'counter',
    'Steps that reached a final status (succeeded, failed, timed_out, cancelled, skipped), by agent and tool.',
    totals.steps.map((s) => ({ labels: { agent: s.agent, status: s.status, tool: s.tool }, value: s.count })),
  );
  family(
    'photon_step_retries_total',
    'counter',
    "Attempts after a step's first.",
    totals.retries.map((r) => ({ labels: { agent: r.agent, tool: r.tool, workflow: r.workflow }, value: r.count })),
  );
  family(
    'photon_step_timeouts_total',
    'counter',
    'Attempts stopped by their timeout.',
    totals.timeouts.map((r) => ({ labels: { agent: r.agent, tool: r.tool, workflow: r.workflow }, value: r.count })),
  );
  family(
    'photon_cost_usd_total',
    'counter',
    'Cost in US dollars that AI tools reported for their attempts.',
    totals.usage.map((u) => ({ labels: { agent: u.agent, tool: u.tool, workflow: u.workflow }, value: u.costUsd })),
  );
  family(
    'photon_tokens_total',
    'counter',
    'Tokens that AI tools reported for their attempts, by direction: input (every token the model read), output, and cache_read and cache_write, the parts of input read from and written to a prompt cache (so do not add them to input).',
    totals.usage.flatMap((u) => [
      { labels: { agent: u.agent, direction: 'input', tool: u.tool, workflow: u.workflow }, value: u.inputTokens },
      { labels: { agent: u.agent, direction: 'output', tool: u.tool, workflow: u.workflow }, value: u.outputTokens },
      { labels: { agent: u.agent, direction: 'cache_read', tool: u.tool, workflow: u.workflow }, value: u.cacheReadTokens },
      { labels: { agent: u.agent, direction: 'cache_write', tool: u.tool, workflow: u.workflow }, value: u.cacheWriteTokens },
    ]),
  );
  family(
    'photon_step_duration_seconds',
    'summary',
    `Duration of step attempts that succeeded, failed or timed out, by tool; quantiles over the last ${totals.quantileWindowSeconds / 3600} hours, count and sum over all time.`,
    totals.stepDurations.flatMap((d) => [
      ...d.quantiles.map((q) => ({ labels: { tool: d.tool, quantile: String(q.quantile) }, value: q.seconds })),
      { labels: { tool: d.tool }, value: d.sumSeconds, suffix: '_sum' },
      { labels: { tool: d.tool }, value: d.count, suffix: '_count' },
    ]),
  );
  return `${out.join('\n')}\n`;
}

function labelText(labels: Labels | undefined): string {
  if (!labels) return '';
  const parts = Object.entries(labels).map(([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
