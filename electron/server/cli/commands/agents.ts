import { booleanOption, stringOption } from '../args.js';
import { dataDirOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { formatDuration, table } from '../format.js';
import { withEngine } from '../open-engine.js';
import { printJson } from '../run-json.js';

export const agentsCommand: Command = {
  name: 'agents',
  summary: 'List saved agents with their status and record.',
  usage: '[--json] [--data-dir DIR]',
  description: "Lists the saved agents (add and edit them on the app's Agents page): tool, model, status, steps done, success rate, average duration, cost and tokens.",
  positionals: [],
  options: {
    json: { type: 'boolean', description: 'Print each agent with its stats as a JSON array.' },
    'data-dir': dataDirOption,
  },
  async run({ values }) {
    const { agents, stats } = await withEngine(stringOption(values, 'data-dir'), async (engine) => ({
      agents: await engine.call('agents.list', undefined),
      stats: await engine.call('agents.stats', undefined),
    }));
    const statsOf = new Map(stats.map((s) => [s.agentId, s]));
    if (booleanOption(values, 'json')) {
      printJson(agents.map((agent) => ({ ...agent, stats: statsOf.get(agent.id) ?? null })));
      return exitCodes.ok;
    }
    if (agents.length === 0) {
      process.stdout.write("No agents yet. Add one on the app's Agents page.\n");
      return exitCodes.ok;
    }
    const rows = agents.map((agent) => {
      const s = statsOf.get(agent.id);
      return [
        agent.id,
        agent.tool,
        agent.model ?? '-',
        s?.status ?? '-',
        String(s?.stepsDone ?? 0),
        s?.successRate === null || s?.successRate === undefined ? '-' : `${Math.round(s.successRate * 100)}%`,
        s?.averageDurationMs === null || s?.averageDurationMs === undefined ? '-' : formatDuration(s.averageDurationMs),
        s && s.costUsd > 0 ? `$${s.costUsd.toFixed(4)}` : '-',
        s ? `${s.tokens.input}/${s.tokens.output}` : '-',
        agent.name,
      ];
    });
    process.stdout.write(`${table(['AGENT', 'TOOL', 'MODEL', 'STATUS', 'STEPS', 'SUCCESS', 'AVG', 'COST', 'TOKENS IN/OUT', 'NAME'], rows, new Set([4, 5, 6, 7, 8]))}\n`);
    const troubled = stats.filter((s) => s.reason);
    if (troubled.length > 0) process.stdout.write(`\n${troubled.map((s) => `${s.agentId}: ${s.status}: ${s.reason}`).join('\n')}\n`);
    return exitCodes.ok;
  },
};
