/** V8's CPU profiles (`--cpu-prof`, DevTools' Profiler) read by the benches: time by function. */

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A function as the tables name it: its name and its place, from the project's folders or node_modules. */
export function functionLabel(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*\/(node_modules|electron|shared|out)\//, '$1/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

/**
 * The time of the samples by function: `self` where the sample stood, `inclusive` for every function
 * on its stack (once per sample however deep it recurses). `spanOf` says, sample by sample in order,
 * how much time (in the profile's microseconds) a sample counts for, 0 to leave it out; it is given
 * the sample's index and its time. `label` names a function (by default, functionLabel).
 */
export function timeByFunction(
  profile: Profile,
  spanOf: (index: number, at: number) => number,
  label: (node: ProfileNode) => string = functionLabel,
): { self: Map<string, number>; inclusive: Map<string, number> } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let at = profile.startTime;
  profile.samples.forEach((sample, index) => {
    at += profile.timeDeltas[index] ?? 0;
    const span = spanOf(index, at);
    const leaf = byId.get(sample);
    if (span === 0 || !leaf) return;
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + span);
    const seen = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const name = label(byId.get(id)!);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + span);
    }
  });
  return { self, inclusive };
}
