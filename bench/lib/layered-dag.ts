/** A layered DAG of trivial steps: the same graph as a Photon workflow and as a Makefile. */

export interface DagShape {
  layers: number;
  width: number;
  /** Seed of the pseudo-random choice of dependencies, so every run builds the same graph. */
  seed: number;
}

export interface DagStep {
  step: number;
  dependencies: number[];
}

/** Each step past the first layer depends on 2 or 3 distinct steps of the layer before it. */
export function layeredDag({ layers, width, seed }: DagShape): DagStep[] {
  const random = mulberry32(seed);
  const steps: DagStep[] = [];
  for (let layer = 0; layer < layers; layer++) {
    for (let i = 0; i < width; i++) {
      const step = layer * width + i + 1;
      const dependencies = new Set<number>();
      if (layer > 0) {
        const count = Math.min(width, 2 + Math.floor(random() * 2));
        while (dependencies.size < count) dependencies.add((layer - 1) * width + Math.floor(random() * width) + 1);
      }
      steps.push({ step, dependencies: [...dependencies].sort((a, b) => a - b) });
    }
  }
  return steps;
}

/** `length` steps, each depending on the one before: every link waits for the last to end. */
export function chainDag(length: number): DagStep[] {
  return Array.from({ length }, (_, i) => ({ step: i + 1, dependencies: i === 0 ? [] : [i] }));
}

export function toWorkflow(steps: readonly DagStep[], command: string): object {
  return {
    name: `Layered DAG of ${steps.length} steps`,
    workflow: steps.map(({ step, dependencies }) => ({ step, platform: 'shell', inputs: { command }, dependencies })),
  };
}

/**
 * The same graph for make. Every target is phony so each runs once per invocation; the recipe is
 * the same `SHELL -c true` process Photon starts (make execs it directly: no extra /bin/sh).
 */
export function toMakefile(steps: readonly DagStep[], shell: string): string {
  const lines = [`.PHONY: all ${steps.map((s) => `s${s.step}`).join(' ')}`, `all: ${steps.map((s) => `s${s.step}`).join(' ')}`, ''];
  for (const { step, dependencies } of steps) {
    lines.push(`s${step}: ${dependencies.map((d) => `s${d}`).join(' ')}`, `\t@${shell} -c true`, '');
  }
  return lines.join('\n');
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
