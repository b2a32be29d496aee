import type { ApprovalAnswer, ApprovalItem } from '../../shared/approvals.js';

/**
 * How the approvals inbox speaks: the badge, what a request wants in one line, which requests may
 * be answered together, and who answered one. Pure, so the words are tested without a page.
 */

/** The sidebar badge: "3 waiting"; nothing when the inbox is empty. */
export function waitingBadge(count: number): string | null {
  return count > 0 ? `${count.toLocaleString('en-US')} waiting` : null;
}

export const answerLabels: Record<ApprovalAnswer, string> = {
  once: 'Allow once',
  run: 'Allow for this run',
  always: 'Allow always for this agent',
  deny: 'Deny',
};

/** What "allow for this run" covers: a standalone session has no run, and it lasts as long as the session. */
export function answerLabel(answer: ApprovalAnswer, requests: readonly Pick<ApprovalItem, 'runId'>[]): string {
  if (answer === 'run' && requests.length > 0 && requests.every((r) => r.runId === null)) return 'Allow for this session';
  return answerLabels[answer];
}

/** Who is asking: the saved agent's name, else the tool's. */
export function askerName(item: Pick<ApprovalItem, 'agentName' | 'tool'>): string {
  return item.agentName ?? item.tool;
}

/** Where the request comes from: "step 2 of Nightly (run r-1)" ("step 2 of run r-1" when the run is not listed), or a standalone session. */
export function whereFrom(item: Pick<ApprovalItem, 'kind' | 'runId' | 'step'>, workflowName?: string): string {
  if (item.runId !== null && item.step !== null) return workflowName ? `step ${item.step} of ${workflowName} (run ${item.runId})` : `step ${item.step} of run ${item.runId}`;
  return item.kind === 'input' ? 'a terminal' : 'a session';
}

/** The request as one sentence: "Reviewer wants to run npm test", or the step that waits for typing. */
export function requestSentence(item: Pick<ApprovalItem, 'kind' | 'title' | 'command' | 'diffs' | 'toolKind' | 'agentName' | 'tool'>): string {
  if (item.kind === 'input') return item.title || `${askerName(item)} waits for input in its terminal`;
  if (item.kind === 'gate') return `Approval gate: ${item.title}`;
  if (item.kind === 'budget') return `Budget: ${item.title}`;
  return `${askerName(item)} wants to ${wantsText(item)}`;
}

/** What the request wants, in one line: the command it would run, the files it would change, or its own title. */
export function wantsText(item: Pick<ApprovalItem, 'kind' | 'title' | 'command' | 'diffs' | 'toolKind'>): string {
  if (item.kind === 'input') return item.title || 'waits for your answer in its terminal';
  if (item.kind === 'gate' || item.kind === 'budget') return item.title;
  if (item.command) return `run ${item.command}`;
  if (item.diffs.length === 1) return `edit ${baseName(item.diffs[0]!.path)}`;
  if (item.diffs.length > 1) return `edit ${item.diffs.length} files`;
  return item.title || `a ${item.toolKind ?? 'tool'} call`;
}

/**
 * Requests answered together must be of one kind: a batch "allow" means the same thing for each
 * (running commands, editing files...), never a command slipped in among edits.
 */
export function batchKind(item: Pick<ApprovalItem, 'kind' | 'toolKind'>): string {
  return item.kind === 'input' || item.kind === 'gate' || item.kind === 'budget' ? item.kind : `permission:${item.toolKind ?? 'other'}`;
}

const kindWords: Record<string, string> = {
  input: 'waiting for input',
  'permission:execute': 'commands',
  'permission:edit': 'edits',
  'permission:delete': 'deletions',
  'permission:move': 'moves',
  'permission:read': 'reads',
  'permission:search': 'searches',
  'permission:fetch': 'network fetches',
};

/** The kind as a heading says it: "commands", "edits". */
export function batchKindWords(kind: string): string {
  return kindWords[kind] ?? 'other requests';
}

/**
 * The selection after the user toggles `id`: a request of another kind than those selected starts
 * a new selection, so a batch is always of one kind. Requests no longer waiting drop out.
 */
export function toggleSelection(selected: ReadonlySet<string>, id: string, waiting: readonly ApprovalItem[]): Set<string> {
  const byId = new Map(waiting.map((item) => [item.id, item]));
  const item = byId.get(id);
  const next = new Set([...selected].filter((s) => byId.has(s)));
  if (!item) return next;
  if (next.has(id)) {
    next.delete(id);
    return next;
  }
  const kind = batchKind(item);
  const sameKind = [...next].every((s) => batchKind(byId.get(s)!) === kind);
  return sameKind ? next.add(id) : new Set([id]);
}

/** The answers a batch can get: an input request is answered in its terminal, not here; a workflow's gate is approved (once) or rejected. */
export function answersFor(kind: string): readonly ApprovalAnswer[] {
  // A budget's question, too: its Approve lets the run spend another budget's worth, never "always".
  if (kind === 'gate' || kind === 'budget') return ['once', 'deny'] as const;
  return kind === 'input' ? [] : (['once', 'run', 'always', 'deny'] as const);
}

/**
 * The record of an answered request as the step shows it: what was decided and by whom (you, a
 * rule, an earlier "allow for this run", the step's timeout, the session's end).
 */
export function answerRecord(item: Pick<ApprovalItem, 'status' | 'answer' | 'answeredBy' | 'message'> & { runId?: string | null }): string {
  if (item.status === 'waiting') return 'Waiting for an answer';
  const by = byWords(item.answeredBy);
  switch (item.status) {
    case 'allowed':
      if (item.answeredBy?.startsWith('rule:')) return `Allowed${by}`;
      return `${item.answer === 'run' ? (item.runId === null ? 'Allowed for this session' : 'Allowed for this run') : item.answer === 'always' ? 'Allowed always for this agent' : 'Allowed once'}${by}`;
    case 'denied':
      return `Denied${by}${item.message ? `: “${item.message}”` : ''}`;
    case 'expired':
      return `No answer before the step's timeout${item.message ? `: ${item.message}` : ''}`;
    case 'cancelled':
      if (item.answeredBy === 'terminal') return 'Answered in its terminal';
      return `Cancelled${item.message ? `: ${item.message}` : ''}`;
  }
}

function byWords(answeredBy: string | null): string {
  if (!answeredBy) return '';
  if (answeredBy === 'person') return ' by you';
  if (answeredBy.startsWith('rule:')) return ` by rule ${answeredBy.slice('rule:'.length)}`;
  if (answeredBy.startsWith('run:')) return ' by an earlier “allow for this run”';
  if (answeredBy === 'timeout') return ' by the timeout';
  return ` (${answeredBy})`;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}
