import { useEffect, useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ruleActions, suggestedRules, toolCallKinds, type RuleAction, type RuleScope } from '../../shared/approvals.js';
import { usePhoton, useServices } from '../lib/app-context.js';
import { loadAgents } from '../sync/agents-sync.js';
import { errorBody } from '../sync/report-error.js';
import { moveRule, ruleWords, shadowedRules, triState, triStateOf, withMatch, type DraftRule } from './rule-words.js';

type Loaded = { state: 'idle' } | { state: 'loading' } | { state: 'ready' } | { state: 'failed'; message: string };

/**
 * Ordered rules per agent and per workflow that answer requests without asking: the first rule
 * that matches decides (a workflow's before its agent's). Saved as a whole list.
 */
export function RulesEditor() {
  const { client, store } = useServices();
  const agents = usePhoton(useShallow((s) => s.agents.list.map((a) => a.name)));
  // Mapped outside the selector: an object made per workflow there was new at every read, so no
  // two reads compared equal and, with one workflow saved, the page re-rendered until React gave up.
  const workflowList = usePhoton((s) => s.workflows.list);
  const workflows = useMemo(() => workflowList.map((w) => ({ id: w.id, name: w.name })), [workflowList]);
  const [scope, setScope] = useState<RuleScope>('agent');
  const [target, setTarget] = useState('');
  const [rules, setRules] = useState<DraftRule[]>([]);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'idle' });
  const [saved, setSaved] = useState<string | null>(null);
  const ids = { scope: useId(), target: useId() };

  useEffect(() => {
    if (!store.getState().agents.loaded) loadAgents(client, store).catch(() => undefined);
  }, [client, store]);

  useEffect(() => {
    if (!target) return;
    let current = true;
    setLoaded({ state: 'loading' });
    setSaved(null);
    client
      .call('approvals.rules', { scope, target })
      .then((list) => {
        if (!current) return;
        setRules(list.map((rule) => ({ match: rule.match, action: rule.action })));
        setLoaded({ state: 'ready' });
      })
      .catch((error: unknown) => current && setLoaded({ state: 'failed', message: errorBody(error).message }));
    return () => {
      current = false;
    };
  }, [client, scope, target]);

  const save = async () => {
    setSaved(null);
    try {
      const list = await client.call('approvals.setRules', { scope, target, rules });
      setRules(list.map((rule) => ({ match: rule.match, action: rule.action })));
      setSaved(`Saved ${list.length} ${list.length === 1 ? 'rule' : 'rules'}.`);
    } catch (error) {
      setLoaded({ state: 'failed', message: errorBody(error).message });
    }
  };
  const change = (index: number, rule: DraftRule) => setRules((list) => list.map((r, i) => (i === index ? rule : r)));
  const dead = shadowedRules(rules);
  const targets = scope === 'agent' ? agents.map((name) => ({ id: name, name })) : workflows;

  return (
    <section className="rules-editor" aria-labelledby="rules-heading">
      <h2 id="rules-heading">Rules</h2>
      <p className="meta">Answer requests without asking. The first rule that matches decides; a workflow’s rules come before its agent’s. “Ask” sends the request to the inbox even when a later rule would allow it.</p>
      <div className="rules-target">
        <label htmlFor={ids.scope}>Rules of</label>
        <select
          id={ids.scope}
          value={scope}
          onChange={(e) => {
            setScope(e.target.value as RuleScope);
            setTarget('');
            setLoaded({ state: 'idle' });
          }}
        >
          <option value="agent">an agent</option>
          <option value="workflow">a workflow</option>
        </select>
        <label htmlFor={ids.target} className="visually-hidden">
          {scope === 'agent' ? 'Agent' : 'Workflow'}
        </label>
        <select id={ids.target} value={target} onChange={(e) => setTarget(e.target.value)}>
          <option value="">{scope === 'agent' ? 'Choose an agent…' : 'Choose a workflow…'}</option>
          {targets.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      {loaded.state === 'loading' && <p className="meta">Reading the rules…</p>}
      {loaded.state === 'failed' && (
        <p className="session-error" role="alert">
          {loaded.message}
        </p>
      )}
      {target && loaded.state === 'ready' && (
        <>
          {rules.length === 0 && <p className="meta">No rules: every request of this {scope} waits in the inbox.</p>}
          <ol className="rule-list">
            {rules.map((rule, index) => (
              <RuleRow
                key={index}
                rule={rule}
                index={index}
                count={rules.length}
                shadowed={dead.has(index)}
                onChange={(next) => change(index, next)}
                onMove={(by) => setRules((list) => moveRule(list, index, by))}
                onRemove={() => setRules((list) => list.filter((_, i) => i !== index))}
              />
            ))}
          </ol>
          <div className="approval-buttons">
            <button type="button" className="button small" onClick={() => setRules((list) => [...list, { match: { kinds: ['read'] }, action: 'allow' }])}>
              Add a rule
            </button>
            <button type="button" className="button small" onClick={() => setRules((list) => [...list, ...suggestedRules])}>
              Add the suggested rules
            </button>
            <button type="button" className="button primary small" onClick={() => void save()}>
              Save rules
            </button>
            {saved && (
              <span className="meta" role="status">
                {saved}
              </span>
            )}
          </div>
        </>
      )}
    </section>
  );
}

interface RuleRowProps {
  rule: DraftRule;
  index: number;
  count: number;
  shadowed: boolean;
  onChange(rule: DraftRule): void;
  onMove(by: number): void;
  onRemove(): void;
}

function RuleRow({ rule, index, count, shadowed, onChange, onMove, onRemove }: RuleRowProps) {
  const { match } = rule;
  const id = useId();
  const toggleKind = (kind: (typeof toolCallKinds)[number]) => {
    const kinds = match.kinds ?? [];
    onChange({ ...rule, match: withMatch(match, 'kinds', kinds.includes(kind) ? kinds.filter((k) => k !== kind) : [...kinds, kind]) });
  };
  return (
    <li className="rule-row" aria-label={`Rule ${index + 1}: ${ruleWords(rule)}`}>
      <p className="rule-words">
        <strong>{index + 1}.</strong> {ruleWords(rule)}
        {shadowed && <span className="meta"> — never decides: an earlier rule matches the same requests</span>}
      </p>
      <div className="rule-fields">
        <label>
          Then{' '}
          <select value={rule.action} onChange={(e) => onChange({ ...rule, action: e.target.value as RuleAction })}>
            {ruleActions.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Kinds (none: any)</legend>
          {toolCallKinds.map((kind) => (
            <label key={kind}>
              <input type="checkbox" checked={match.kinds?.includes(kind) ?? false} onChange={() => toggleKind(kind)} /> {kind}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`${id}-prefix`}>Command starts with</label>
        <input id={`${id}-prefix`} value={match.commandPrefix ?? ''} maxLength={1000} onChange={(e) => onChange({ ...rule, match: withMatch(match, 'commandPrefix', e.target.value) })} />
        <label>
          Network{' '}
          <select value={triStateOf(match.network)} onChange={(e) => onChange({ ...rule, match: withMatch(match, 'network', triState(e.target.value as 'yes' | 'no' | 'any')) })}>
            <option value="any">either</option>
            <option value="yes">reaches the network</option>
            <option value="no">stays off it</option>
          </select>
        </label>
        <label>
          Files{' '}
          <select value={triStateOf(match.insideFolder)} onChange={(e) => onChange({ ...rule, match: withMatch(match, 'insideFolder', triState(e.target.value as 'yes' | 'no' | 'any')) })}>
            <option value="any">anywhere</option>
            <option value="yes">inside the step's folder</option>
            <option value="no">outside it</option>
          </select>
        </label>
      </div>
      <div className="approval-buttons">
        <button type="button" className="button small" disabled={index === 0} onClick={() => onMove(-1)} aria-label={`Move rule ${index + 1} up`}>
          ↑
        </button>
        <button type="button" className="button small" disabled={index === count - 1} onClick={() => onMove(1)} aria-label={`Move rule ${index + 1} down`}>
          ↓
        </button>
        <button type="button" className="button small" onClick={onRemove} aria-label={`Remove rule ${index + 1}`}>
          Remove
        </button>
      </div>
    </li>
  );
}
