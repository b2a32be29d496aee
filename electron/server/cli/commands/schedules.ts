import { basename, resolve } from 'node:path';
import type { ScheduleInfo, TriggerInfo } from '../../../../shared/schedules.js';
import { booleanOption, integerOption, stringOption, type ParsedArgs } from '../args.js';
import { dataDirOption, type Command } from '../command.js';
import { exitCodes } from '../exit-codes.js';
import { formatLocalTime, table } from '../format.js';
import { dataDirArgs, withEngine, type EngineCaller } from '../open-engine.js';
import { printJson } from '../run-json.js';
import { UsageError } from '../usage-error.js';

const actions = ['list', 'add', 'trigger', 'remove', 'enable', 'disable'] as const;
const usageLine = 'photon schedules [list] | add WORKFLOW --cron EXPR [--tz ZONE] [--catch-up] | trigger WORKFLOW --file PATH | --webhook | remove ID | enable ID | disable ID';

export const schedulesCommand: Command = {
  name: 'schedules',
  summary: 'List, add, remove, turn on and off the schedules and triggers of saved workflows.',
  usage: '[list [--workflow WORKFLOW]] | add WORKFLOW --cron EXPR [--tz ZONE] [--name NAME] [--catch-up] | trigger WORKFLOW (--file PATH [--debounce MS] | --webhook) [--name NAME] | remove ID | enable ID | disable ID [--json] [--data-dir DIR]',
  description: [
    'A saved workflow (WORKFLOW: its name or id) can start on a schedule, a cron expression read in',
    'a time zone (--tz, an IANA name; this machine\'s by default): "0 2 * * *" is every day at 02:00,',
    '"*/15 9-17 * * 1-5" every quarter hour of working hours. A time missed while Photon was not',
    'running is run once at the next start with --catch-up, else skipped.',
    '`trigger` starts it when a file or folder changes (--file PATH, absolute or from here; changes',
    'are gathered for --debounce MS, 1000 by default, and one run starts after the last) or when a',
    'webhook is called (--webhook: its secret is printed once, with its URL on the running daemon;',
    'POST the URL with the secret in the X-Photon-Secret header).',
    'They fire while the desktop app or `photon daemon` runs on the data folder; with a daemon',
    'running, this command changes them through it.',
  ].join('\n'),
  positionals: ['[ACTION]', '[TARGET]'],
  options: {
    workflow: { type: 'string', value: 'WORKFLOW', description: 'list: only this workflow\'s (its name or id).' },
    cron: { type: 'string', value: 'EXPR', description: 'add: when, as a cron expression (5 fields, or 6 with seconds first).' },
    tz: { type: 'string', value: 'ZONE', description: 'add: the time zone the expression is read in, e.g. Europe/Paris (default: this machine\'s).' },
    'catch-up': { type: 'boolean', description: 'add: a time missed while Photon was not running runs once at the next start.' },
    file: { type: 'string', value: 'PATH', description: 'trigger: the file or folder whose changes start a run.' },
    debounce: { type: 'string', value: 'MS', description: 'trigger --file: wait this long after the last change (default 1000).' },
    webhook: { type: 'boolean', description: 'trigger: a webhook URL with its own secret.' },
    name: { type: 'string', value: 'NAME', description: 'add, trigger: what the runs it starts are labelled with (default: the cron, the file\'s name, "webhook").' },
    json: { type: 'boolean', description: 'Print the result as JSON.' },
    'data-dir': dataDirOption,
  },
  async run({ values, positionals }) {
    const [action = 'list', target] = positionals as [string | undefined, string | undefined];
    if (!(actions as readonly string[]).includes(action)) throw new UsageError(`unknown action "${action}": ${usageLine}`);
    const json = booleanOption(values, 'json');
    const dataDirFlag = stringOption(values, 'data-dir');
    return withEngine(dataDirFlag, async (engine) => {
      const via = engine.daemonUrl;
      if (action === 'list') {
        if (target !== undefined) throw new UsageError(`photon schedules list takes no argument; use --workflow WORKFLOW for one workflow's`);
        const workflowName = stringOption(values, 'workflow');
        const workflowId = workflowName === undefined ? undefined : await findWorkflow(engine, workflowName);
        const [schedules, triggers] = await Promise.all([engine.call('schedules.list', { workflowId }), engine.call('triggers.list', { workflowId })]);
        if (json) printJson({ schedules, triggers });
        else printList(schedules, triggers, triggers.some((t) => t.kind === 'webhook') ? await webhookBase(engine) : null, dataDirFlag);
        return exitCodes.ok;
      }
      if (target === undefined) throw new UsageError(`missing ${action === 'add' || action === 'trigger' ? 'WORKFLOW' : 'ID'}: ${usageLine}`);
      if (action === 'add') return add(engine, values, target, json, via);
      if (action === 'trigger') return addTrigger(engine, values, target, json, via, dataDirFlag);
      return change(engine, action as 'remove' | 'enable' | 'disable', target, json);
    });
  },
};

async function add(engine: EngineCaller, values: ParsedArgs['values'], workflow: string, json: boolean, via: string | undefined): Promise<number> {
  const cron = stringOption(values, 'cron');
  if (cron === undefined) throw new UsageError('photon schedules add needs --cron EXPR, e.g. --cron "0 2 * * *" (every day at 02:00)');
  const workflowId = await findWorkflow(engine, workflow);
  const schedule = await engine.call('schedules.add', { workflowId, name: stringOption(values, 'name') ?? cron, cron, timeZone: stringOption(values, 'tz'), catchUp: booleanOption(values, 'catch-up') });
  if (json) printJson(schedule);
  else {
    process.stdout.write(`Added schedule ${schedule.id} "${schedule.name}" to ${schedule.workflowName}: ${schedule.cron} (${schedule.timeZone}), next at ${formatLocalTime(schedule.nextFireAt)}${schedule.catchUp ? ', missed times caught up' : ''}.\n`);
    process.stdout.write(`${firesWhere(via)}\n`);
  }
  return exitCodes.ok;
}

async function addTrigger(engine: EngineCaller, values: ParsedArgs['values'], workflow: string, json: boolean, via: string | undefined, dataDirFlag: string | undefined): Promise<number> {
  const file = stringOption(values, 'file');
  const webhook = booleanOption(values, 'webhook');
  if ((file === undefined) === !webhook) throw new UsageError('photon schedules trigger needs one of --file PATH or --webhook');
  const debounceMs = integerOption(values, 'debounce', 50, 3_600_000);
  if (debounceMs !== undefined && file === undefined) throw new UsageError('--debounce goes with --file');
  const workflowId = await findWorkflow(engine, workflow);
  const name = stringOption(values, 'name');
  const created = file !== undefined
    ? await engine.call('triggers.add', { kind: 'file', workflowId, name: name ?? basename(resolve(file)), path: resolve(file), debounceMs })
    : await engine.call('triggers.add', { kind: 'webhook', workflowId, name: name ?? 'webhook' });
  if (json) {
    printJson(created);
    return exitCodes.ok;
  }
  const { trigger, secret } = created;
  if (trigger.kind === 'file') {
    process.stdout.write(`Added trigger ${trigger.id} "${trigger.name}" to ${trigger.workflowName}: changes in ${trigger.path} start a run ${trigger.debounceMs} ms after the last.\n${firesWhere(via)}\n`);
  } else {
    const base = await webhookBase(engine);
    process.stdout.write(`Added webhook ${trigger.id} "${trigger.name}" to ${trigger.workflowName}.\n`);
    process.stdout.write(base ? `URL:    ${base}${trigger.webhookPath}\n` : `Path:   ${trigger.webhookPath}\n`);
    process.stdout.write(`Secret: ${secret}\n`);
    process.stdout.write('The secret is shown this once and kept only hashed: store it now.\n');
    if (base) process.stdout.write(`Call it with\n  curl -X POST -H 'X-Photon-Secret: ${secret}' ${base}${trigger.webhookPath}\n`);
    else process.stdout.write(`${noServer(dataDirFlag)}\n`);
  }
  return exitCodes.ok;
}

async function change(engine: EngineCaller, action: 'remove' | 'enable' | 'disable', id: string, json: boolean): Promise<number> {
  const [schedules, triggers] = await Promise.all([engine.call('schedules.list', undefined), engine.call('triggers.list', undefined)]);
  const schedule = schedules.find((s) => s.id === id);
  const trigger = triggers.find((t) => t.id === id);
  if (!schedule && !trigger) throw new UsageError(`no schedule or trigger ${id}; \`photon schedules\` lists them with their ids`);
  const what = schedule ? `schedule "${schedule.name}"` : `trigger "${trigger!.name}"`;
  if (action === 'remove') {
    const result = schedule ? await engine.call('schedules.remove', { id }) : await engine.call('triggers.remove', { id });
    if (json) printJson(result);
    else process.stdout.write(`Removed ${what} of ${(schedule ?? trigger)!.workflowName}.\n`);
    return exitCodes.ok;
  }
  const enabled = action === 'enable';
  const changed = schedule ? await engine.call('schedules.setEnabled', { id, enabled }) : await engine.call('triggers.setEnabled', { id, enabled });
  if (json) printJson(changed);
  else process.stdout.write(`Turned ${enabled ? 'on' : 'off'} ${what} of ${changed.workflowName}${'nextFireAt' in changed && changed.nextFireAt ? `; next at ${formatLocalTime(changed.nextFireAt)}` : ''}.\n`);
  return exitCodes.ok;
}

/** A saved workflow by id, or by name when exactly one has it. */
async function findWorkflow(engine: EngineCaller, text: string): Promise<string> {
  const workflows = await engine.call('workflows.list', undefined);
  const byId = workflows.find((w) => w.id === text);
  if (byId) return byId.id;
  const named = workflows.filter((w) => w.name === text);
  const matches = named.length > 0 ? named : workflows.filter((w) => w.name.toLowerCase() === text.toLowerCase());
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length > 1) throw new UsageError(`${matches.length} saved workflows are named "${text}"; give one's id: ${matches.map((w) => w.id).join(', ')}`);
  const known = workflows.map((w) => `"${w.name}"`).slice(0, 10).join(', ');
  throw new UsageError(`no saved workflow "${text}"; save it in the app first${known ? ` (saved: ${known})` : ''}`);
}

function firesWhere(via: string | undefined): string {
  return via ? `The Photon daemon at ${via} fires it.` : 'It fires while the desktop app or `photon daemon` runs on this data folder.';
}

/**
 * Where this data folder's webhooks are called: the address of the server in front of the engine
 * this command talks to (the daemon's), null when it has its own engine, which no server is in front of.
 */
async function webhookBase(engine: EngineCaller): Promise<string | null> {
  return (await engine.call('triggers.webhookBase', undefined)).url;
}

/** What to do when no address is known: a made-up default port would be a URL that answers nothing, or another Photon. */
function noServer(dataDirFlag: string | undefined): string {
  return [
    'No `photon daemon` runs on this data folder, so this command knows no address for it (a `photon',
    'serve` on this folder, or the app\'s remote access, answers it at its own). Start the daemon:',
    `  photon daemon${dataDirArgs(dataDirFlag)}`,
    'and POST to its address followed by the path (`photon schedules` then prints the whole URL).',
  ].join('\n');
}

function printList(schedules: ScheduleInfo[], triggers: TriggerInfo[], base: string | null, dataDirFlag: string | undefined): void {
  if (schedules.length === 0 && triggers.length === 0) {
    process.stdout.write('No schedules or triggers. Add one: photon schedules add WORKFLOW --cron "0 2 * * *"\n');
    return;
  }
  const state = (enabled: boolean, error: string | null) => (enabled ? (error ? `on, last failed: ${error}` : 'on') : 'off');
  if (schedules.length > 0) {
    const rows = schedules.map((s) => [s.id, s.workflowName, s.name, `${s.cron} (${s.timeZone})${s.catchUp ? ' +catch-up' : ''}`, formatLocalTime(s.nextFireAt), state(s.enabled, s.lastError)]);
    process.stdout.write(`${table(['ID', 'WORKFLOW', 'NAME', 'WHEN', 'NEXT', 'STATE'], rows)}\n`);
  }
  if (triggers.length > 0) {
    if (schedules.length > 0) process.stdout.write('\n');
    const what = (t: TriggerInfo) => (t.kind === 'file' ? `${t.path} (${t.debounceMs} ms)` : `${base ?? ''}${t.webhookPath}`);
    const rows = triggers.map((t) => [t.id, t.workflowName, t.name, t.kind, what(t), state(t.enabled, t.lastError)]);
    process.stdout.write(`${table(['ID', 'WORKFLOW', 'NAME', 'KIND', 'WHAT', 'STATE'], rows)}\n`);
    if (base === null && triggers.some((t) => t.kind === 'webhook')) process.stdout.write(`\n${noServer(dataDirFlag)}\n`);
  }
}
