import { useState } from 'react';
import { automationNameMaxChars, type ScheduleInfo } from '../../shared/schedules.js';
import { useServices } from '../lib/app-context.js';
import { AddForm } from './AddForm.js';
import { localTimeZone } from './schedule-words.js';

/** A new cron schedule: the engine checks the expression and the zone and says what is wrong. */
export function AddScheduleForm({ workflowId, onAdded }: { workflowId: string; onAdded(schedule: ScheduleInfo): void }) {
  const { client } = useServices();
  const [name, setName] = useState('');
  const [cron, setCron] = useState('0 2 * * *');
  const [timeZone, setTimeZone] = useState(localTimeZone);
  const [catchUp, setCatchUp] = useState(false);

  const add = async () => {
    const schedule = await client.call('schedules.add', { workflowId, name: name.trim() || cron.trim(), cron: cron.trim(), timeZone: timeZone.trim(), catchUp });
    setName('');
    onAdded(schedule);
  };

  return (
    <AddForm title="Add a schedule" submitLabel="Add schedule" add={add}>
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
        <input value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" placeholder="the expression" maxLength={automationNameMaxChars} />
        <span className="meta">Shown on the runs it starts.</span>
      </label>
      <label className="schedule-check">
        <input type="checkbox" checked={catchUp} onChange={(event) => setCatchUp(event.target.checked)} /> Run once at the next start if a time was missed while Photon was not running
      </label>
    </AddForm>
  );
}
