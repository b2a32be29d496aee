// The canvas's decisions as pure data: which kind a step is drawn as, what the edges into a step
// with a condition say, a fan-out's progress as its node words it, why a step was skipped, and the
// new steps the palette's decision kinds make (valid as made, where the user has nothing to fill in).
import { describe, expect, it } from 'vitest';
import type { WorkflowStep } from '../../shared/workflow.js';
import { conditionLabel, edgeLabelLength, itemProgress, skipWords, triggerWords, waitingWords } from '../../renderer/canvas/decision-words.js';
import { forEachSource, listFromText, stepListTemplate } from '../../renderer/canvas/fan-out-source.js';
import { conditionEdgeType, copyOf, deriveEdges, makeNode, newStep, pasted, withoutParts } from '../../renderer/canvas/graph-model.js';
import { kindLine, stepKind } from '../../renderer/canvas/step-kind.js';
import { validateCanvas } from '../../renderer/canvas/validation.js';

function step(n: number, extra: Partial<WorkflowStep> = {}): WorkflowStep {
  return { step: n, label: `Step ${n}`, platform: 'shell', inputs: { command: `echo ${n}` }, dependencies: [], continueOnFailure: false, ...extra };
}
const nodesOf = (...steps: WorkflowStep[]) => steps.map((s, i) => makeNode(s, { x: i * 300, y: 0 }));

describe('a step’s kind on the canvas', () => {
  it('is read from its platform and fields, a race before a fan-out', () => {
    expect(stepKind(step(1))).toBe('task');
    expect(stepKind(step(1, { platform: 'approval' }))).toBe('gate');
    expect(stepKind(step(1, { platform: 'workflow' }))).toBe('workflow');
    expect(stepKind(step(1, { forEach: ['a'] }))).toBe('fan-out');
    expect(stepKind(step(1, { forEach: '{{steps.1.json.files}}' }))).toBe('fan-out');
    expect(stepKind(step(1, { race: [2, 3] }))).toBe('race');
    expect(stepKind(step(1, { race: [2, 3], forEach: ['a'] }))).toBe('race');
  });

  it('is written on the node’s second line with the facts that make it so', () => {
    expect(kindLine(step(1), 'Shell')).toBe('Shell');
    expect(kindLine(step(1, { platform: 'approval' }), 'approval')).toBe('Approval gate');
    expect(kindLine(step(1, { forEach: ['a', 'b'], maxParallel: 2 }), 'Shell')).toBe('Fan-out · Shell · 2 items · 2 at once');
    expect(kindLine(step(1, { forEach: '{{steps.1.json}}' }), 'Codex')).toBe('Fan-out · Codex · per item');
    expect(kindLine(step(4, { race: [2, 3] }), 'Shell')).toBe('Race of step 2, step 3 · Shell');
    const sub = step(1, { platform: 'workflow', inputs: { workflow: 'w-123' } });
    expect(kindLine(sub, 'workflow', (id) => (id === 'w-123' ? 'Nightly tests' : id))).toBe('Sub-workflow: Nightly tests');
    expect(kindLine(step(1, { platform: 'workflow', inputs: { workflow: '' } }), 'workflow')).toBe('Sub-workflow: none chosen');
  });

  it('comes from the palette ready: a gate and a fan-out pass the engine’s checks as made', () => {
    const gate = newStep('approval', 2);
    const fanOut = newStep('fan-out', 3);
    expect(stepKind(gate)).toBe('gate');
    expect(gate.inputs.message).not.toBe('');
    expect(stepKind(fanOut)).toBe('fan-out');
    expect(stepKind(newStep('race', 4))).toBe('race');
    expect(stepKind(newStep('workflow', 5))).toBe('workflow');
    expect(stepKind(newStep('shell', 6))).toBe('task');
    const issues = validateCanvas({ meta: { name: 'New' }, nodes: nodesOf(step(1), { ...gate, dependencies: [1] }, { ...fanOut, dependencies: [2] }) }, ['shell']);
    expect(issues).toMatchObject({ count: 0 });
  });

  it('puts the engine’s message for a race or fan-out field under that field', () => {
    const issues = validateCanvas({ meta: { name: 'Bad' }, nodes: nodesOf(step(1), step(2, { dependencies: [1], race: [1] })) }, ['shell']);
    expect(Object.keys(issues.byStep[2] ?? {})).toContain('race');
  });
});

describe('a condition on the edges into its step', () => {
  it('labels every edge into the step, with the whole expression for the keyboard; other edges stay plain', () => {
    const when = 'steps.1.status == "succeeded" && steps.2.json.score > 0.8';
    const edges = deriveEdges(nodesOf(step(1), step(2, { dependencies: [1] }), step(3, { dependencies: [1, 2], when })));
    const into3 = edges.filter((e) => e.target === '3');
    expect(into3).toHaveLength(2);
    for (const edge of into3) {
      expect(edge.type).toBe(conditionEdgeType);
      expect(edge.data?.when).toBe(when);
      expect(edge.ariaLabel).toContain(when);
    }
    expect(edges.find((e) => e.id === '1->2')).toEqual({ id: '1->2', source: '1', target: '2', selected: false });
  });

  it('reads as “if …”, whitespace collapsed, cut with an ellipsis past the label’s length', () => {
    expect(conditionLabel('steps.1.status  ==\n"failed"')).toBe('if steps.1.status == "failed"');
    const long = conditionLabel('steps.1.status == "succeeded" && steps.2.json.score > 0.8');
    expect(long.length).toBeLessThanOrEqual(edgeLabelLength);
    expect(long.endsWith('…')).toBe(true);
    expect(long.startsWith('if steps.1.status == "succee')).toBe(true);
  });

  it('leaves with a blank condition: no label for "when": ""', () => {
    const edges = deriveEdges(nodesOf(step(1), step(2, { dependencies: [1], when: '  ' })));
    expect(edges[0]!.type).toBeUndefined();
  });
});

describe('a run’s decisions in words', () => {
  it('counts a fan-out’s items done of all, naming the failed ones', () => {
    const progress = itemProgress({ total: 20, pending: 10, running: 3, succeeded: 6, failed: 1, cancelled: 0 });
    expect(progress).toMatchObject({ done: 7, total: 20, text: '7/20', problems: '1 failed' });
    expect(progress.spoken).toBe('7 of 20 items done, 3 running, 1 failed');
    expect(itemProgress({ total: 20, pending: 0, running: 0, succeeded: 20, failed: 0, cancelled: 0 })).toMatchObject({ text: '20/20', problems: null });
    expect(itemProgress({ total: 0, pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 }).text).toBe('no items yet');
    expect(itemProgress({ total: 4, pending: 0, running: 0, succeeded: 1, failed: 2, cancelled: 1 }).problems).toBe('2 failed, 1 cancelled');
  });

  it('tells a skip by condition from a skip after a failure', () => {
    expect(skipWords('condition').short).toBe('Skipped: condition false');
    expect(skipWords('dependency').short).toBe('Skipped: after a failure');
    expect(skipWords(undefined).long).toBe('Skipped: a step it depends on did not succeed.');
  });

  it('says why a ready step waits and what started a run', () => {
    expect(waitingWords('budget')).toMatch(/budget/);
    expect(waitingWords('agent-cap')).toMatch(/agent slot/);
    expect(triggerWords({ kind: 'schedule', name: 'nightly' })).toBe('Started by schedule “nightly”');
    expect(triggerWords({ kind: 'webhook', name: 'deploy' })).toBe('Started by webhook “deploy”');
  });
});

describe('editing a fan-out’s list and a race’s members', () => {
  it('reads forEach as a list written here or an earlier step’s JSON at a path', () => {
    expect(forEachSource(['a', 'b'])).toEqual({ mode: 'list', text: 'a\nb' });
    expect(forEachSource([{ id: 1 }])).toEqual({ mode: 'list', text: '[{"id":1}]' });
    expect(forEachSource('{{steps.2.json.files}}')).toEqual({ mode: 'step', step: 2, path: 'files' });
    expect(forEachSource('{{steps.2.json}}')).toEqual({ mode: 'step', step: 2, path: '' });
    expect(forEachSource('{{steps.2.output}}')).toEqual({ mode: 'template', text: '{{steps.2.output}}' });
    expect(stepListTemplate(2, '.files.')).toBe('{{steps.2.json.files}}');
    expect(stepListTemplate(2, '')).toBe('{{steps.2.json}}');
  });

  it('takes one item a line or a JSON list, and refuses a half-written JSON list saying so', () => {
    expect(listFromText('a\n\n b \n')).toEqual({ ok: true, items: ['a', 'b'] });
    expect(listFromText('[1, {"x": 2}]')).toEqual({ ok: true, items: [1, { x: 2 }] });
    const half = listFromText('[1, 2');
    expect(half.ok).toBe(false);
    expect(!half.ok && half.message).toMatch(/Not a JSON list yet/);
  });

  it('drops a race member whose edge is deleted, as the engine wants them among the dependencies', () => {
    const nodes = nodesOf(step(1), step(2), step(3), step(4, { dependencies: [1, 2, 3], race: [1, 2, 3] }));
    const after = withoutParts(nodes, new Set(), new Set(['2->4']));
    expect(after[3]!.data.step).toMatchObject({ dependencies: [1, 3], race: [1, 3] });
  });
});

describe('pasting decisions', () => {
  it('renumbers the references a copy carries: its condition, its fan-out’s list, its JSON templates and its racers', () => {
    const nodes = nodesOf(
      step(1, { output: 'json' }),
      step(2),
      step(3, {
        dependencies: [1, 2],
        race: [1, 2],
        when: 'steps.1.json.ok == true && steps.2.status != "steps.1"',
        forEach: '{{steps.1.json.files}}',
        inputs: { command: 'echo {{steps.1.json.name}} {{ steps.2.output }} {{item}}' },
      }),
    );
    const { nodes: after } = pasted(nodes, copyOf(nodes), { x: 0, y: 400 });
    expect(after.find((n) => n.id === '6')!.data.step).toMatchObject({
      dependencies: [4, 5],
      race: [4, 5],
      when: 'steps.4.json.ok == true && steps.5.status != "steps.1"',
      forEach: '{{steps.4.json.files}}',
      inputs: { command: 'echo {{steps.4.json.name}} {{ steps.5.output }} {{item}}' },
    });
  });
});
