import { useCallback, useEffect, useId, useState } from 'react';
import type { ScheduleInfo, TriggerInfo } from '../../shared/schedules.js';
import { ModalDialog } from '../components/ModalDialog.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';
import { AddScheduleForm } from './AddScheduleForm.js';
import { AddTriggerForm } from './AddTriggerForm.js';
import { nextFireText, noWebhookServer, webhookUrl } from './schedule-words.js';
import { WebhookSecret, type ShownSecret } from './WebhookSecret.js';
import './schedules.css';

type Lists = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; schedules: ScheduleInfo[]; triggers: TriggerInfo[]; webhookBase: string | null };

/**
 * A saved workflow's schedules and triggers: what starts it without a person, when each fires
 * next, turned on and off or removed here; a new webhook's URL and secret, shown this once.
 */
export function SchedulesDialog({ workflowId, workflowName, onClose }: { workflowId: string; workflowName: string; onClose(): void }) {
  const { client } = useServices();
  const titleId = useId();
  const [lists, setLists] = useState<Lists>({ state: 'loading' });
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [schedules, triggers, served] = await Promise.all([
        client.call('schedules.list', { workflowId }),
        client.call('triggers.list', { workflowId }),
        // Where the engine's server listens: a webhook's URL is on it, whatever port it was given.
        // A daemon older than this app does not say: its webhooks' paths are still listed.
        client.call('triggers.webhookBase', undefined).catch(() => ({ url: null })),
      ]);
      setLists({ state: 'ready', schedules, triggers, webhookBase: served.url });
    } catch (error) {
      setLists({ state: 'failed', message: errorBody(error).message });
    }
  }, [client, workflowId]);
  useEffect(() => {
    void load();
  }, [load]);

  /** Turning on or off and removing: the list is read again after, so it shows what the engine kept. */
  const act = async (work: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await work();
    } catch (error) {
      setProblem(errorBody(error).message);
    }
    await load();
  };

  const now = Date.now();
  return (
    <ModalDialog className="dialog schedules-dialog" labelledBy={titleId} onCancel={onClose}>
      <h2 id={titleId}>Schedules and triggers of {workflowName}</h2>
      <p className="meta">They start this workflow while the desktop app or <code>photon daemon</code> runs; each run they start says which one did.</p>
      {lists.state === 'loading' && <p>Reading them…</p>}
      {lists.state === 'failed' && (
        <p className="review-refused" role="alert">
          Could not read them: {lists.message}
        </p>
      )}
      {problem && (
        <p className="review-refused" role="alert">
          {problem}
        </p>
      )}
      {secret && <WebhookSecret shown={secret} webhookBase={lists.state === 'ready' ? lists.webhookBase : null} onDone={() => setSecret(null)} />}
      {lists.state === 'ready' && (
        <>
          <section aria-label="Schedules">
            <h3>Schedules</h3>
            {lists.schedules.length === 0 ? (
              <p className="meta">No schedules.</p>
            ) : (
              <ul className="schedule-list">
                {lists.schedules.map((schedule) => (
                  <li key={schedule.id} aria-label={`Schedule ${schedule.name}`}>
                    <div>
                      <strong>{schedule.name}</strong> <code>{schedule.cron}</code> <span className="meta">({schedule.timeZone}{schedule.catchUp ? ', missed times caught up' : ''})</span>
                    </div>
                    <div className="meta">Next: {nextFireText(schedule.nextFireAt, schedule.enabled, now)}</div>
                    {schedule.lastError && <div className="review-refused">Last time it could not start: {schedule.lastError}</div>}
                    <div className="schedule-actions">
                      <button
                        type="button"
                        className="button"
                        aria-label={`${schedule.enabled ? 'Turn off' : 'Turn on'} schedule ${schedule.name}`}
                        onClick={() => void act(() => client.call('schedules.setEnabled', { id: schedule.id, enabled: !schedule.enabled }))}
                      >
                        {schedule.enabled ? 'Turn off' : 'Turn on'}
                      </button>
                      <button type="button" className="button danger" aria-label={`Remove schedule ${schedule.name}`} onClick={() => void act(() => client.call('schedules.remove', { id: schedule.id }))}>
                        Remove
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            )}
            <AddScheduleForm workflowId={workflowId} onAdded={() => void load()} />
          </section>
          <section aria-label="Triggers">
            <h3>Triggers</h3>
            {lists.triggers.length === 0 ? (
              <p className="meta">No triggers.</p>
            ) : (
              <ul className="schedule-list">
                {lists.triggers.map((trigger) => (
                  <li key={trigger.id} aria-label={`Trigger ${trigger.name}`}>
                    <div>
                      <strong>{trigger.name}</strong>{' '}
                      {trigger.kind === 'file' ? (
                        <span className="meta">
                          when <code>{trigger.path}</code> changes ({trigger.debounceMs} ms after the last change)
                        </span>
                      ) : (
                        <WebhookAddress path={trigger.webhookPath!} base={lists.webhookBase} />
                      )}
                      {!trigger.enabled && <span className="meta"> · off</span>}
                    </div>
                    {trigger.lastError && <div className="review-refused">{trigger.lastError}</div>}
                    <div className="schedule-actions">
                      <button
                        type="button"
                        className="button"
                        aria-label={`${trigger.enabled ? 'Turn off' : 'Turn on'} trigger ${trigger.name}`}
                        onClick={() => void act(() => client.call('triggers.setEnabled', { id: trigger.id, enabled: !trigger.enabled }))}
                      >
                        {trigger.enabled ? 'Turn off' : 'Turn on'}
                      </button>
                      <button type="button" className="button danger" aria-label={`Remove trigger ${trigger.name}`} onClick={() => void act(() => client.call('triggers.remove', { id: trigger.id }))}>
                        Remove
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            )}
            <AddTriggerForm
              workflowId={workflowId}
              onAdded={(created) => {
                if (created.secret !== undefined) setSecret({ name: created.trigger.name, path: created.trigger.webhookPath!, secret: created.secret });
                void load();
              }}
            />
          </section>
        </>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}

/** A webhook trigger's URL on the engine's server, or its path and why no URL answers now. */
function WebhookAddress({ path, base }: { path: string; base: string | null }) {
  const url = webhookUrl(path, window.location, base);
  return (
    <span className="meta">
      webhook <code>{url ?? path}</code>
      {url === null && ` (${noWebhookServer})`}
    </span>
  );
}
