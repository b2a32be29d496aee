import type { RunDetail } from '../../../../shared/runs.js';
import { booleanOption, stringOption } from '../args.js';
import { dataDirOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { durationBetween, formatLocalTime, table } from '../format.js';
import { dataDirArgs, withEngine } from '../open-engine.js';
import { apiKeyOption, remoteTarget, serverOption } from '../remote-engine.js';
import { itemCountsText } from '../progress/step-text.js';
import { runElapsedMs, summaryLines } from '../progress/summary.js';
import { printJson, toRunJson } from '../run-json.js';

export const showCommand: Command = {
  name: 'show',
  summary: 'Show one run: its steps, their attempts, exit codes and what failed.',
  usage: 'RUN_ID [--json] [--data-dir DIR | --server URL --api-key KEY]',
  description: [
    'Shows a run from the history. RUN_ID may be a unique prefix of the id.',
    'With --json, prints the same object as `photon run --json`.',
  ].join('\n'),
  positionals: ['RUN_ID'],
  options: {
    json: { type: 'boolean', description: 'Print the run as one JSON object (the shape of `photon run --json`).' },
    'data-dir': dataDirOption,
    server: serverOption,
    'api-key': apiKeyOption,
  },
  async run({ values, positionals }) {
    const dataDir = stringOption(values, 'data-dir');
    const remote = remoteTarget(values);
    const commands = remote ? await import('../remote-commands.js') : undefined;
    const detail = remote ? await commands!.showRemote(remote, positionals[0]!) : await withEngine(dataDir, (engine) => engine.call('runs.get', { runId: positionals[0]! }));
    if (booleanOption(values, 'json')) printJson(toRunJson(detail));
    else process.stdout.write(`${humanView(detail, remote ? commands!.serverArgs(remote) : dataDirArgs(dataDir)).join('\n')}\n`);
    return exitCodes.ok;
  },
};

function humanView(detail: RunDetail, extraArgs: string): string[] {
  const elapsed = runElapsedMs(detail, 0);
  const steps = table(
    ['STEP', 'STATUS', 'ATTEMPTS', 'EXIT', 'DURATION', 'TITLE'],
    detail.steps.map((s) => [
      String(s.step),
      // A ready step held back says by what: "pending (budget)", "pending (agent-cap)".
      s.status === 'pending' && s.waitingFor ? `pending (${s.waitingFor})` : s.status,
      String(s.attempts),
      s.exitCode === null ? '-' : String(s.exitCode),
      durationBetween(s.startedAt, s.finishedAt),
      s.title,
    ]),
    new Set([0, 2, 3, 4]),
  );
  return [
    `Run ${detail.runId}: ${detail.workflowName}`,
    `  status       ${detail.status}`,
    // A sub-workflow's run says which run and step started it; a parent lists its children.
    ...(detail.parent ? [`  parent       run ${detail.parent.runId}, step ${detail.parent.step} (photon show ${detail.parent.runId}${extraArgs})`] : []),
    ...detail.steps.flatMap((s) => (s.childRunId ? [`  child run    step ${s.step}: ${s.childRunId}`] : [])),
    ...(detail.trigger ? [`  started by   ${detail.trigger.kind === 'file' ? 'file trigger' : detail.trigger.kind} "${detail.trigger.name}"`] : []),
    ...detail.steps.flatMap((s) => (s.items ? [`  fan-out      step ${s.step}: ${itemCountsText(s.items)}`] : [])),
    `  started      ${formatLocalTime(detail.startedAt)}`,
    `  finished     ${formatLocalTime(detail.finishedAt)}`,
    `  concurrency  ${detail.concurrency}`,
    '',
    steps,
    '',
    ...summaryLines(detail, elapsed, { interrupted: false, extraArgs, detailsHint: false }),
  ];
}
