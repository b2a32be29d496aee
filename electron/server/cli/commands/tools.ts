import type { ToolDetection } from '../../../../shared/tools.js';
import { booleanOption, stringOption } from '../args.js';
import { dataDirOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { table } from '../format.js';
import { withEngine } from '../open-engine.js';
import { printJson } from '../run-json.js';

export const toolsCommand: Command = {
  name: 'tools',
  summary: 'Show which AI tools are installed, where, and which version.',
  usage: '[--host NAME] [--json] [--data-dir DIR]',
  description:
    "Looks for each tool Photon can run (Claude Code, Z.AI, Codex, Gemini CLI, Antigravity, Cursor's agent, Aider) on your login shell's PATH, with its version and whether its help lists the flags Photon passes. ACP shows whether it can also run as an Agent Client Protocol session (structured messages, tool calls and approvals): the adapter's command, or how to install it. With --host, the tools are looked for on that remote host (see `photon hosts`), over its ssh connection, on the PATH its steps get.",
  positionals: [],
  options: {
    host: { type: 'string', value: 'NAME', description: 'Look on this remote host instead of here.' },
    json: { type: 'boolean', description: 'Print the detections as a JSON array.' },
    'data-dir': dataDirOption,
  },
  async run({ values }) {
    const host = stringOption(values, 'host');
    if (host !== undefined) {
      const found = await withEngine(stringOption(values, 'data-dir'), (engine) => engine.call('hosts.tools', { name: host }));
      if (booleanOption(values, 'json')) printJson(found);
      else process.stdout.write(`${table(['TOOL', 'STATUS', 'VERSION', 'PATH'], found.map((t) => [t.platform, t.installed ? 'ok' : 'missing', t.version ?? '-', t.path ?? '-']))}\n`);
      return exitCodes.ok;
    }
    const tools = await withEngine(stringOption(values, 'data-dir'), (engine) => engine.call('tools.detect', undefined));
    if (booleanOption(values, 'json')) {
      printJson(tools);
      return exitCodes.ok;
    }
    const rows = tools.map((t) => [t.platform, statusOf(t), t.version ?? '-', acpOf(t), t.path ?? '-']);
    process.stdout.write(`${table(['TOOL', 'STATUS', 'VERSION', 'ACP', 'PATH'], rows)}\n`);
    const problems = tools.filter((t) => t.error);
    if (problems.length > 0) process.stdout.write(`\n${problems.map((t) => `${t.platform}: ${t.error}`).join('\n')}\n`);
    const acpMissing = tools.filter((t) => t.acp && !t.acp.available);
    if (acpMissing.length > 0) process.stdout.write(`\nACP sessions (structured, with approvals): ${acpMissing.map((t) => `${t.platform}: ${t.acp!.install}`).join('; ')}\n`);
    return exitCodes.ok;
  },
};

/** The tool's ACP mode: its command when found, `missing` when it has one but it is not installed. */
function acpOf(tool: ToolDetection): string {
  if (!tool.acp) return '-';
  return tool.acp.available ? tool.acp.command : 'missing';
}

function statusOf(tool: ToolDetection): string {
  if (!tool.installed) return 'missing';
  if (tool.tooOld) return 'too old';
  if (tool.error) return 'check';
  return 'ok';
}
