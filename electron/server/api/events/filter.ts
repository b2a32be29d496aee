/** The events a client asked for (`operation`, `type`) and where it resumes (`Last-Event-ID`), checked before anything is sent. */
import { events as contractEvents } from '../../../../shared/api.js';
import type { Engine } from '../../../engine/index.js';
import { ApiFailure } from '../errors.js';
import type { EventFilter } from './event-log.js';

/** terminal.data is for the client attached to that terminal (over /rpc), never broadcast. */
export const streamedEvents: readonly string[] = Object.keys(contractEvents).filter((name) => name !== 'terminal.data');

export interface StreamRequest {
  filter: EventFilter;
  /** Events after this id are replayed first; none for a client that gives no id (it starts from now). */
  lastId: number | undefined;
}

export async function readStreamRequest(engine: Engine, query: { operation?: string; type?: string; lastEventId?: string }, header: string | undefined): Promise<StreamRequest> {
  const filter: EventFilter = {};
  if (query.type !== undefined) {
    const types = query.type.split(',').map((name) => name.trim()).filter(Boolean);
    const unknown = types.filter((name) => !streamedEvents.includes(name));
    if (types.length === 0 || unknown.length > 0) {
      throw new ApiFailure('invalid', `unknown event type ${unknown.map((name) => `"${name}"`).join(', ') || '(none given)'}; these exist: ${streamedEvents.join(', ')}`, {
        issues: [{ place: 'query.type', message: 'a comma-separated list of event names' }],
      });
    }
    filter.types = new Set(types);
  }
  // A full or unique prefix id, as everywhere else; an unknown one is refused rather than followed silently.
  if (query.operation !== undefined) filter.operation = (await engine.call('runs.get', { runId: query.operation })).runId;
  const resume = header ?? query.lastEventId;
  let lastId: number | undefined;
  if (resume !== undefined && resume !== '') {
    if (!/^\d{1,15}$/.test(resume)) {
      throw new ApiFailure('invalid', `Last-Event-ID "${resume.slice(0, 40)}" is not an event id (a number this server sent)`, {
        issues: [{ place: header !== undefined ? 'headers.last-event-id' : 'query.lastEventId', message: 'must be an event id' }],
      });
    }
    lastId = Number(resume);
  }
  return { filter, lastId };
}
