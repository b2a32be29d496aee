import type { WorkflowInput } from '../../../shared/workflow.js';
import diamond from '../../../examples/diamond.json';
import fullStackFeature from '../../../examples/full-stack-feature.json';

/**
 * Starting points for a new workflow. Most are shell steps (they run everywhere, with no tool to
 * install); each command says what an agent would do there, so swapping the platform to an AI tool
 * later keeps the shape. The bundled files are real workflows. Positions are left out: the canvas
 * lays them out.
 */
export interface WorkflowTemplate {
  id: string;
  title: string;
  workflow: WorkflowInput;
}

function shell(step: number, label: string, command: string, dependencies: number[] = []) {
  return { step, label, platform: 'shell', inputs: { command }, dependencies };
}

/** What "New workflow" makes: one step to start from. */
export const blankTemplate: WorkflowTemplate = {
  id: 'blank',
  title: 'Blank (one step)',
  workflow: { name: 'New workflow', workflow: [shell(1, 'Start', 'echo "hello from step 1"')] },
};

/** The bundled examples: what a first launch offers, and "New workflow from…" anywhere after. */
export const examples: readonly WorkflowTemplate[] = [
  { id: 'diamond', title: 'Diamond: build, test and lint side by side, package', workflow: diamond as WorkflowInput },
  { id: 'full-stack-agents', title: 'Full-stack feature with Claude Code: a condition, a fan-out per package, a gate', workflow: fullStackFeature as WorkflowInput },
  {
    id: 'full-stack-feature',
    title: 'Full-stack feature, shell only: design, backend and frontend side by side, deploy',
    workflow: {
      name: 'Full-stack feature, shell only',
      description: 'Design the API, build backend and frontend side by side, then test and deploy. Shell steps stand in for the agents for now.',
      workflow: [
        shell(1, 'Design the API', 'echo "API design: GET /items, POST /items"'),
        shell(2, 'Build the backend', 'echo "backend built against: {{steps.1.output}}"', [1]),
        shell(3, 'Build the frontend', 'echo "frontend built against: {{steps.1.output}}"', [1]),
        shell(4, 'Test and deploy', 'echo "integration tests passed"; echo "deployed"', [2, 3]),
      ],
    },
  },
  {
    id: 'fan-out-review',
    title: 'Fan-out / fan-in review',
    workflow: {
      name: 'Fan-out review',
      description: 'One change reviewed three ways at once, then the reviews merged into one verdict.',
      workflow: [
        shell(1, 'Prepare the diff', 'git diff --stat HEAD~1 2>/dev/null || echo "no git history here"'),
        shell(2, 'Security review', 'echo "security: no secrets or injections in {{steps.1.output}}"', [1]),
        shell(3, 'Performance review', 'echo "performance: no hot loops added"', [1]),
        shell(4, 'Style review', 'echo "style: consistent"', [1]),
        shell(5, 'Merge the reviews', 'printf "%s\\n" "{{steps.2.output}}" "{{steps.3.output}}" "{{steps.4.output}}"', [2, 3, 4]),
      ],
    },
  },
  {
    id: 'build-test-lint',
    title: 'Build, test, lint',
    workflow: {
      name: 'Build, test, lint',
      description: 'A plain pipeline: build, then tests and lint side by side.',
      workflow: [
        shell(1, 'Build', 'npm run build --if-present'),
        shell(2, 'Test', 'npm test --if-present', [1]),
        shell(3, 'Lint', 'npm run lint --if-present', [1]),
      ],
    },
  },
];

/** Every starting point: blank first, then the examples. */
export const templates: readonly WorkflowTemplate[] = [blankTemplate, ...examples];
