import { useId, useState } from 'react';
import type { ScheduleInfo } from '../../shared/schedules.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';
import { localTimeZone } from './schedule-words.js';

/** A new cron schedule: the engine checks the expression and the zone and says what is wrong. */
export function AddScheduleForm({ workflowId, onAdded }: { workflowId: string; onAdded(schedule: ScheduleInfo): void }) {
  const { client } = useServices();
  const titleId = useId();
  const [name, setName] = useState('');
  const [cron, setCron] = useState('0 2 * * *');
  const [timeZone, setTimeZone] = useState(localTimeZone);
  const [catchUp, setCatchUp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);

  const add = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      const schedule = await client.call('schedules.add', { workflowId, name: name.trim() || cron.trim(), cron: cron.trim(), timeZone: timeZone.trim(), catchUp });
      setName('');
      onAdded(schedule);
    } catch (error) {
      setRefusal(errorBody(error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="schedule-form"
      aria-labelledby={titleId}
      onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}
    >
      <h3 id={titleId}>Add a schedule</h3>
      <label className="review-field">
        Cron expression
        <input value={cron} onChange={(event) => setCron(event.target.value)} spellCheck={false} autoComplete="off" required />
        <span className="meta">minute hour day month weekday: "0 2 * * *" every day at 02:00, "*/15 9-17 * * 1-5" every quarter hour of working hours.</span>
      </label>
      <label className="review-field">
        Time zone
        <input value={timeZone} onChange={(event) => setTimeZone(event.target.value)} spellCheck={false} autoComplete="off" required />
      </label>
      <label className="review-field">
        Name
        <input value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" placeholder="the expression" />
        <span className="meta">Shown on the runs it starts.</span>
      </label>
      <label className="schedule-check">
        <input type="checkbox" checked={catchUp} onChange={(event) => setCatchUp(event.target.checked)} /> Run once at the next start if a time was missed while Photon was not running
      </label>
      {refusal && (
        <p className="review-refused" role="alert">
          {refusal}
        </p>
      )}
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Adding…' : 'Add schedule'}
      </button>
    </form>
  );
}
