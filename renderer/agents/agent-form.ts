import type { z } from 'zod';
import { agentSchema, type Agent, type AutonomyMode } from '../../shared/agents.js';
import { worktreeWrite } from '../../shared/sandbox.js';

/**
 * The agent form as the user types it: text as typed, rows for the environment and the secrets
 * mapping. It becomes an agent only through `agentSchema`, the engine's own check, so the form
 * refuses exactly what the engine would.
 */
export interface AgentDraft {
  id: string;
  name: string;
  tool: string;
  model: string;
  cwd: string;
  capabilities: string[];
  autonomy: AutonomyMode;
  env: { key: string; value: string }[];
  secrets: { secret: string; variable: string }[];
  maxConcurrentSteps: string;
  /** Whether its steps run in the OS sandbox, and with network. */
  sandbox: SandboxChoice;
  /** The sandbox's `write` list, kept as the agent had it (the form does not edit it). */
  sandboxWrite: string[];
  /** The remote host its steps run on; empty: this machine. */
  host: string;
  /** Its budget in one run, as typed (USD, tokens), and its daily cap (USD); empty: none. */
  budgetUsd: string;
  budgetTokens: string;
  dailyCapUsd: string;
  /** Past its budget or cap: ask in the inbox, or fail the step. */
  onExceed: 'ask' | 'fail';
}

export const sandboxChoices = ['off', 'no-network', 'network'] as const;
export type SandboxChoice = (typeof sandboxChoices)[number];

/**
 * Messages keyed by field: `id`, `name`, `tool`, `model`, `cwd`, `capabilities`, `autonomy`,
 * `maxConcurrentSteps`, `env` and `secrets` (the whole list), `env.ROW.key`, `env.ROW.value`,
 * `secrets.ROW.secret`, `secrets.ROW.variable` (ROW: the row's place in the form).
 */
export type DraftErrors = Record<string, string>;

export type DraftCheck = { ok: true; agent: Agent; errors: DraftErrors } | { ok: false; errors: DraftErrors };

export function emptyDraft(tool = 'claude-code'): AgentDraft {
  return { id: '', name: '', tool, model: '', cwd: '', capabilities: [], autonomy: 'default', env: [], secrets: [], maxConcurrentSteps: '1', sandbox: 'off', sandboxWrite: [worktreeWrite], host: '', budgetUsd: '', budgetTokens: '', dailyCapUsd: '', onExceed: 'ask' };
}

export function draftFromAgent(agent: Agent): AgentDraft {
  return {
    id: agent.id,
    name: agent.name,
    tool: agent.tool,
    model: agent.model ?? '',
    cwd: agent.cwd ?? '',
    capabilities: [...agent.capabilities],
    autonomy: agent.autonomy,
    env: Object.entries(agent.env).map(([key, value]) => ({ key, value })),
    secrets: agent.secrets.map((s) => ({ ...s })),
    maxConcurrentSteps: String(agent.maxConcurrentSteps),
    sandbox: !agent.sandbox ? 'off' : agent.sandbox.network ? 'network' : 'no-network',
    sandboxWrite: [...(agent.sandbox?.write ?? [worktreeWrite])],
    host: agent.location === 'remote' ? (agent.host ?? '') : '',
    budgetUsd: agent.budget?.costUsd !== undefined ? String(agent.budget.costUsd) : '',
    budgetTokens: agent.budget?.tokens !== undefined ? String(agent.budget.tokens) : '',
    dailyCapUsd: agent.dailyCapUsd !== undefined ? String(agent.dailyCapUsd) : '',
    onExceed: agent.budget?.onExceed ?? 'ask',
  };
}

/** An id made from a name, for a new agent whose id the user has not typed: "Code reviewer" → "code-reviewer". */
export function idFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[^\w\s.-]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64);
}

/** Adds capabilities typed as one text ("review, tests"), trimmed, without repeats. */
export function withCapabilities(current: readonly string[], typed: string): string[] {
  const next = [...current];
  for (const part of typed.split(',')) {
    const tag = part.trim();
    if (tag !== '' && !next.includes(tag)) next.push(tag);
  }
  return next;
}

const isBlank = (text: string) => text.trim() === '';

function rowsInUse<T>(rows: readonly T[], blank: (row: T) => boolean): { row: T; index: number }[] {
  return rows.map((row, index) => ({ row, index })).filter(({ row }) => !blank(row));
}

function envRowsInUse(draft: AgentDraft) {
  return rowsInUse(draft.env, (r) => isBlank(r.key) && r.value === '');
}

function secretRowsInUse(draft: AgentDraft) {
  return rowsInUse(draft.secrets, (r) => isBlank(r.secret) && isBlank(r.variable));
}

/** The draft as the plain object the engine receives; blank rows are left out. */
export function agentInputFromDraft(draft: AgentDraft): unknown {
  const max = draft.maxConcurrentSteps.trim();
  return {
    id: draft.id.trim(),
    name: draft.name,
    tool: draft.tool,
    model: isBlank(draft.model) ? null : draft.model.trim(),
    cwd: isBlank(draft.cwd) ? null : draft.cwd.trim(),
    capabilities: draft.capabilities,
    location: draft.host === '' ? 'local' : 'remote',
    ...(draft.host === '' ? {} : { host: draft.host }),
    autonomy: draft.autonomy,
    env: Object.fromEntries(envRowsInUse(draft).map(({ row }) => [row.key.trim(), row.value])),
    secrets: secretRowsInUse(draft).map(({ row }) => ({ secret: row.secret.trim(), variable: row.variable.trim() })),
    maxConcurrentSteps: max === '' ? 1 : Number(max),
    ...(draft.sandbox === 'off' ? {} : { sandbox: { network: draft.sandbox === 'network', write: draft.sandboxWrite } }),
    ...budgetInput(draft),
  };
}

/** The budget and the daily cap as typed: a blank field is no limit; "fail" is kept even with only a cap, which it applies to too. */
function budgetInput(draft: AgentDraft): { budget?: Record<string, unknown>; dailyCapUsd?: number } {
  const number = (text: string) => (isBlank(text) ? undefined : Number(text.trim()));
  const costUsd = number(draft.budgetUsd);
  const tokens = number(draft.budgetTokens);
  const dailyCapUsd = number(draft.dailyCapUsd);
  const limited = costUsd !== undefined || tokens !== undefined || dailyCapUsd !== undefined;
  const budget = {
    ...(costUsd !== undefined ? { costUsd } : {}),
    ...(tokens !== undefined ? { tokens } : {}),
    ...(draft.onExceed === 'fail' ? { onExceed: 'fail' } : {}),
  };
  return {
    ...(limited && Object.keys(budget).length > 0 ? { budget } : {}),
    ...(dailyCapUsd !== undefined ? { dailyCapUsd } : {}),
  };
}

/** The schema's issue said for a person filling in the form. */
function friendly(field: string, issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key') return (issue.issues[0]?.message ?? issue.message).replace(/^must/, 'the name must');
  if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1) {
    if (field === 'name') return 'Give the agent a name.';
    if (field.endsWith('.secret')) return 'pick a secret from the keychain';
    return 'must not be empty';
  }
  // Zod's own words ("Too big: expected string to have <=100 characters") are a programmer's.
  if (issue.code === 'too_big' && issue.origin === 'string') return `at most ${issue.maximum} characters`;
  if (field === 'tool' && issue.code === 'invalid_value') return 'Pick a tool.';
  if (field === 'maxConcurrentSteps') return 'a whole number from 1 to 64';
  if (field === 'budgetUsd' || field === 'dailyCapUsd') return 'an amount in USD above 0, or empty for none';
  if (field === 'budgetTokens') return 'a whole number of tokens above 0, or empty for none';
  return issue.message;
}

/** Turns a path of the definition (as the schema or the engine names it) into the form's field key. */
function fieldOfPath(draft: AgentDraft, path: readonly PropertyKey[]): string {
  const [head, second, third] = path;
  if (head === 'env' && typeof second === 'string') {
    const row = envRowsInUse(draft).find(({ row }) => row.key.trim() === second);
    return row ? `env.${row.index}.key` : 'env';
  }
  if (head === 'secrets' && typeof second === 'number') {
    const row = secretRowsInUse(draft)[second];
    return row && (third === 'secret' || third === 'variable') ? `secrets.${row.index}.${third}` : 'secrets';
  }
  if (head === 'budget') return second === 'tokens' ? 'budgetTokens' : second === 'costUsd' ? 'budgetUsd' : 'onExceed';
  return typeof head === 'string' ? head : 'form';
}

/**
 * Checks the draft as the user types. `existingIds` are the saved agents' ids: a new agent must
 * not take one (saving would replace that agent).
 */
export function checkDraft(draft: AgentDraft, options: { existingIds?: readonly string[]; isNew?: boolean } = {}): DraftCheck {
  const errors: DraftErrors = {};
  const add = (field: string, message: string) => {
    errors[field] ??= message;
  };

  // What the schema cannot see, checked first (it says more about a blank or repeated name):
  // rows that a record or a list would silently merge or lose.
  const seenKeys = new Map<string, number>();
  for (const { row, index } of envRowsInUse(draft)) {
    const key = row.key.trim();
    if (key === '') add(`env.${index}.key`, 'give the variable a name, or clear its value');
    else if (seenKeys.has(key)) add(`env.${index}.key`, `${key} is set twice`);
    else seenKeys.set(key, index);
  }
  const seenVariables = new Set<string>();
  for (const { row, index } of secretRowsInUse(draft)) {
    const variable = row.variable.trim();
    if (variable !== '' && seenVariables.has(variable)) add(`secrets.${index}.variable`, `${variable} is filled twice`);
    seenVariables.add(variable);
    if (seenKeys.has(variable)) add(`secrets.${index}.variable`, `${variable} is also set under Extra environment; keep one`);
  }
  if (options.isNew && options.existingIds?.includes(draft.id.trim())) {
    add('id', `an agent "${draft.id.trim()}" exists already: pick another id, or edit that agent`);
  }

  const parsed = agentSchema.safeParse(agentInputFromDraft(draft));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOfPath(draft, issue.path);
      add(field, field === 'id' && isBlank(draft.id) ? 'Give the agent an id.' : friendly(field, issue));
    }
  }

  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, agent: parsed.data, errors };
}

/**
 * The engine's refusal placed on the form's fields: `details.issues` names each problem's place
 * (`agent.PATH`) apart from its words; what cannot be placed stays with the form as a whole.
 */
export function errorsFromRefusal(draft: AgentDraft, details: unknown): DraftErrors {
  const errors: DraftErrors = {};
  const issues = (details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return errors;
  for (const issue of issues as { path?: unknown; message?: unknown }[]) {
    if (typeof issue.path !== 'string' || typeof issue.message !== 'string') continue;
    const match = /^agent((?:\.[^.[]+|\[\d+\])*)$/.exec(issue.path);
    if (!match) continue;
    const path = [...match[1]!.matchAll(/\.([^.[]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
    const field = fieldOfPath(draft, path);
    if (field !== 'form') errors[field] ??= issue.message;
  }
  return errors;
}
