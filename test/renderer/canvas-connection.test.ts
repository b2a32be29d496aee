// The rule the canvas applies when the user draws an edge from → to (to depends on from): refused
// with the reason when it would close a loop, repeat an edge or touch no step; allowed otherwise.
import { describe, expect, it } from 'vitest';
import { connectionProblem, makeNode, type StepNode } from '../../renderer/canvas/graph-model.js';

const node = (step: number, ...dependencies: number[]): StepNode =>
  makeNode({ step, platform: 'shell', inputs: { command: `echo ${step}` }, dependencies, continueOnFailure: false }, { x: 0, y: step * 100 });

// 1 → 2 → 4 and 1 → 3 → 4, with 5 on its own.
const diamond = [node(1), node(2, 1), node(3, 1), node(4, 2, 3), node(5)];

describe('connectionProblem', () => {
  it('refuses an edge that closes a loop, naming the loop', () => {
    expect(connectionProblem(diamond, 4, 1)).toMatch(/^Step 1 cannot depend on step 4: that would close a cycle \((1 → 2 → 4 → 1|1 → 3 → 4 → 1)\)\.$/);
    expect(connectionProblem(diamond, 3, 1)).toBe('Step 1 cannot depend on step 3: that would close a cycle (1 → 3 → 1).');
    expect(connectionProblem(diamond, 2, 2)).toBe('A step cannot depend on itself (step 2).');
  });

  it('allows an edge that closes no loop', () => {
    expect(connectionProblem(diamond, 1, 4)).toBeNull();
    expect(connectionProblem(diamond, 2, 3)).toBeNull();
    expect(connectionProblem(diamond, 4, 5)).toBeNull();
    expect(connectionProblem(diamond, 5, 1)).toBeNull();
  });

  it('refuses an edge drawn twice or to a step that is not there', () => {
    expect(connectionProblem(diamond, 1, 2)).toBe('Step 2 already depends on step 1.');
    expect(connectionProblem(diamond, 9, 2)).toBe('Both ends of a connection must be steps on the canvas.');
  });
});
