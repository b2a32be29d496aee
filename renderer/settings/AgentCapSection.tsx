import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { maxAgentsLimit, type AgentCap } from '../../shared/agents.js';
import { useServices } from '../lib/app-context.js';
import { errorBody } from '../sync/report-error.js';

/**
 * How many AI agents may run at once across all runs. Steps past the cap wait, saying so, and
 * start as others end; the default is this machine's CPU cores. A Photon started with
 * `--max-agents` uses that until it stops, and the page says so.
 */
export function AgentCapSection() {
  const { client } = useServices();
  const inputId = useId();
  const [cap, setCap] = useState<AgentCap | null>(null);
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const show = useCallback((next: AgentCap) => {
    setCap(next);
    setTyped(String(next.saved ?? next.maxAgents));
  }, []);
  useEffect(() => {
    client.call('agents.cap', undefined).then(show, (error: unknown) => setProblem(errorBody(error).message));
  }, [client, show]);

  const save = async (maxAgents: number | null) => {
    setBusy(true);
    setProblem(null);
    try {
      show(await client.call('agents.setCap', { maxAgents }));
    } catch (error) {
      setProblem(errorBody(error).message);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = Number(typed);
    if (!Number.isInteger(value) || value < 1 || value > maxAgentsLimit) {
      setProblem(`A whole number from 1 to ${maxAgentsLimit}.`);
      return;
    }
    void save(value);
  };

  return (
    <section className="agent-cap-section" aria-labelledby="agent-cap-heading">
      <header className="section-bar">
        <div>
          <h2 id="agent-cap-heading">AI agents at once</h2>
          <p className="meta section-note">
            At most this many AI agents run at the same time, across all runs; a ready step past it waits for a free slot and says so. Shell steps and
            approval gates do not count.
          </p>
        </div>
      </header>
      {cap && (
        <p className="meta" role="status">
          {cap.running} running now, of {cap.maxAgents}{' '}
          {cap.source === 'default' ? `(the default: this machine's ${cap.defaultMaxAgents} CPU cores)` : cap.source === 'saved' ? '(saved here)' : '(this Photon was started with --max-agents, which applies until it stops)'}
        </p>
      )}
      <form className="agent-cap-form" onSubmit={submit}>
        <label htmlFor={inputId}>Maximum</label>
        <input
          id={inputId}
          type="number"
          min={1}
          max={maxAgentsLimit}
          step={1}
          value={typed}
          aria-invalid={problem !== null}
          onChange={(event) => setTyped(event.target.value)}
        />
        <button type="submit" className="button small primary" disabled={busy || cap === null}>
          Save
        </button>
        {cap?.saved !== null && cap !== null && (
          <button type="button" className="button small" disabled={busy} onClick={() => void save(null)}>
            Use the default ({cap.defaultMaxAgents})
          </button>
        )}
      </form>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
