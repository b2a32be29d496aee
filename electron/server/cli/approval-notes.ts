import type { ApprovalItem } from '../../../shared/approvals.js';

/**
 * What `photon run` says about its steps' permission requests and approval gates: a line when a step starts waiting,
 * naming the step, what it asks and how to answer it from another terminal (the run goes on as soon
 * as it is answered there), and a line when the request is answered, expires or closes.
 */
export class ApprovalNotes {
  private readonly waiting = new Set<string>();

  /** `extraArgs`: what the answer commands must repeat (` --data-dir DIR`). */
  constructor(
    private readonly titleOf: (step: number) => string | undefined,
    private readonly extraArgs: string,
  ) {}

  /** The line for this change of one of the run's requests, if it is worth one. */
  line(item: ApprovalItem): string | undefined {
    if ((item.kind !== 'permission' && item.kind !== 'gate' && item.kind !== 'budget') || item.step === null) return undefined;
    const title = this.titleOf(item.step);
    const step = `Step ${item.step}${title && title !== `Step ${item.step}` ? ` (${title})` : ''}`;
    if (item.status === 'waiting') {
      if (this.waiting.has(item.id)) return undefined;
      this.waiting.add(item.id);
      if (item.kind === 'gate') return `${step} waits for your approval: ${item.title}. Approve from any terminal: photon approve ${item.id}${this.extraArgs}  or reject: photon deny ${item.id}${this.extraArgs}`;
      if (item.kind === 'budget') return `${step} waits: ${item.title}. Approve from any terminal: photon approve ${item.id}${this.extraArgs}  or reject: photon deny ${item.id}${this.extraArgs}`;
      const what = item.command && !item.title.includes(item.command) ? `${item.title}: ${item.command}` : item.title;
      const files = item.diffs.length > 0 && !item.diffs.every((d) => item.title.includes(d.path)) ? ` (${item.diffs.map((d) => d.path).join(', ')})` : '';
      return `${step} asks: ${what}${files}. Answer from any terminal: photon approve ${item.id}${this.extraArgs}  or  photon deny ${item.id}${this.extraArgs}`;
    }
    // Answered by a rule before anyone was asked: nothing waited, nothing to say.
    if (!this.waiting.delete(item.id)) return undefined;
    return `${step}: ${outcome(item)}`;
  }
}

function outcome(item: ApprovalItem): string {
  if ((item.kind === 'gate' || item.kind === 'budget') && (item.status === 'allowed' || item.status === 'denied')) {
    const who = item.answeredBy === 'person' ? 'by you' : `by ${item.answeredBy}`;
    return `${item.status === 'allowed' ? 'approved' : 'rejected'} ${who}${item.status === 'denied' && item.message ? `: ${item.message}` : ''}`;
  }
  const by = item.answeredBy === 'person' ? 'by you' : item.answeredBy?.startsWith('rule:') ? 'by a rule' : item.answeredBy?.startsWith('run:') ? 'by an allow-for-this-run' : `by ${item.answeredBy}`;
  switch (item.status) {
    case 'allowed':
      return `"${item.title}" allowed ${by}`;
    case 'denied':
      return `"${item.title}" denied ${by}${item.message ? `: ${item.message}` : ''}`;
    case 'expired':
      return `"${item.title}" expired: ${item.message}`;
    default:
      return `"${item.title}" no longer waits: ${item.message}`;
  }
}
