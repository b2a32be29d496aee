import type { ApprovalRule, RuleAction, RuleMatch } from '../../shared/approvals.js';

/** A rule being edited: what the engine stores minus what it assigns (id, position, who, when). */
export type DraftRule = Pick<ApprovalRule, 'match' | 'action'>;

const actionWords: Record<RuleAction, string> = { allow: 'Allow', deny: 'Deny', ask: 'Ask' };

/**
 * A rule in one line, as the editor lists it: "Deny network commands", "Allow edit, delete inside
 * the step's folder", "Ask execute starting with `npm test`". A rule with no condition matches
 * every request, and says so.
 */
export function ruleWords(rule: DraftRule): string {
  const { match } = rule;
  const parts: string[] = [];
  parts.push(match.kinds?.length ? match.kinds.join(', ') : 'every request');
  if (match.commandPrefix) parts.push(`starting with “${match.commandPrefix}”`);
  if (match.network === true) parts.push('that reaches the network');
  if (match.network === false) parts.push('that stays off the network');
  if (match.insideFolder === true) parts.push("inside the step's folder");
  if (match.insideFolder === false) parts.push("outside the step's folder");
  return `${actionWords[rule.action]} ${parts.join(' ')}`;
}

/** The list with the rule at `index` moved by `by` places (clamped to the list's ends). */
export function moveRule<T>(rules: readonly T[], index: number, by: number): T[] {
  const to = Math.max(0, Math.min(rules.length - 1, index + by));
  const next = rules.slice();
  const [moved] = next.splice(index, 1);
  if (moved === undefined) return next;
  next.splice(to, 0, moved);
  return next;
}

/** A tri-state field (yes, no, either) as the match stores it: absent for "either". */
export function triState(value: 'yes' | 'no' | 'any'): boolean | undefined {
  return value === 'any' ? undefined : value === 'yes';
}

export function triStateOf(value: boolean | undefined): 'yes' | 'no' | 'any' {
  return value === undefined ? 'any' : value ? 'yes' : 'no';
}

/** The match with `field` set, or removed when empty; an empty kinds list means "any kind". */
export function withMatch<K extends keyof RuleMatch>(match: RuleMatch, field: K, value: RuleMatch[K] | undefined): RuleMatch {
  const next: RuleMatch = { ...match };
  const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  if (empty) delete next[field];
  else next[field] = value;
  return next;
}

/**
 * A rule that can never decide anything the one before it did not already (same match, earlier in
 * the list) is worth a warning: the first match wins, so it is dead.
 */
export function shadowedRules(rules: readonly DraftRule[]): Set<number> {
  const seen = new Set<string>();
  const dead = new Set<number>();
  rules.forEach((rule, index) => {
    const key = JSON.stringify(rule.match, Object.keys(rule.match).sort());
    if (seen.has(key) || seen.has('{}')) dead.add(index);
    seen.add(key);
  });
  return dead;
}
