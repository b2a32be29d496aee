import { randomUUID } from 'node:crypto';
import type { ApprovalItem } from '../../../shared/approvals.js';

/** What differs between a new permission request, gate and input item; the rest starts unanswered. */
export type NewItemFields = Pick<ApprovalItem, 'kind' | 'sessionId' | 'runId' | 'step' | 'agentName' | 'tool' | 'title' | 'toolKind' | 'command' | 'diffs' | 'cwd'>;

/** A waiting inbox item, not yet written. */
export function newItem(fields: NewItemFields, createdAt: string): ApprovalItem {
  return { id: randomUUID(), status: 'waiting', ...fields, createdAt, answer: null, answeredBy: null, answeredAt: null, message: null };
}

/** Why an item can no longer be answered, naming who or what closed it. */
export function whyClosed(item: ApprovalItem): string {
  const by = item.answeredBy === 'person' ? 'a person' : item.answeredBy?.startsWith('rule:') ? `rule ${item.answeredBy.slice(5)}` : item.answeredBy?.startsWith('run:') ? `an allow-for-this-run (${item.answeredBy.slice(4)})` : item.answeredBy;
  switch (item.status) {
    case 'allowed':
      return `it was already allowed by ${by} at ${item.answeredAt}`;
    case 'denied':
      return `it was already denied by ${by} at ${item.answeredAt}`;
    case 'expired':
      return `it expired: ${item.message}`;
    default:
      return `it was closed: ${item.message}`;
  }
}
