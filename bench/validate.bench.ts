/**
 * `npx tsx bench/validate.bench.ts [--steps N] [--reps N]`: validation of large workflows, as
 * `photon validate` and every `runs.start` do it. Three shapes of N steps (default 10,000): a
 * chain where each step templates from the one before it ({{steps.N-1.output}}), the same chain
 * numbered in reverse, and a chain closed into one cycle. Prints the median time of each. Not a
 * test. Issue 14 measured the templated chain at 116 s (quadratic ancestor search); it is linear now.
 */
import { parseArgs } from 'node:util';
import { validateWorkflow } from '../shared/validate-workflow.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '10000' }, reps: { type: 'string', default: '3' } } });
const steps = Number(values.steps);
const reps = Number(values.reps);
const options = { runnablePlatforms: new Set(['shell']) };

const shapes: Record<string, () => unknown> = {
  'templated chain': () => ({
    name: 'chain',
    workflow: Array.from({ length: steps }, (_, i) => ({
      step: i + 1,
      platform: 'shell',
      inputs: { command: i === 0 ? 'echo start' : `echo {{steps.${i}.output}}` },
      dependencies: i === 0 ? [] : [i],
    })),
  }),
  'reverse-numbered chain': () => ({
    name: 'reverse',
    workflow: Array.from({ length: steps }, (_, i) => ({ step: steps - i, platform: 'shell', inputs: { command: 'true' }, dependencies: i === 0 ? [] : [steps - i + 1] })),
  }),
  cycle: () => ({
    name: 'cycle',
    workflow: Array.from({ length: steps }, (_, i) => ({ step: i + 1, platform: 'shell', inputs: { command: 'true' }, dependencies: [i === 0 ? steps : i] })),
  }),
};

for (const [name, build] of Object.entries(shapes)) {
  const times: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const raw = build();
    const started = performance.now();
    validateWorkflow(raw, options);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(`${name} (${steps} steps): median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms over ${reps}`);
}
