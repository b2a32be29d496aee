import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Three quick shell steps: one, then two that use its output, side by side. */
export const threeStepWorkflow = {
  name: 'Build, test and package',
  description: 'Three shell steps: a build, then tests and packaging side by side.',
  workflow: [
    { step: 1, label: 'Build', platform: 'shell', inputs: { command: "printf 'compiling 12 modules\\nbuild ok\\n'" } },
    { step: 2, label: 'Test', platform: 'shell', dependencies: [1], inputs: { command: "echo 'running 48 tests'; echo '48 passed'" } },
    { step: 3, label: 'Package', platform: 'shell', dependencies: [1], inputs: { command: "echo 'from build: {{steps.1.output}}' | head -n 1; echo 'photon-0.1.0.tar.gz written'" } },
  ],
};

/** A step that runs for a minute unless cancelled. */
export const longWorkflow = {
  name: 'Long wait',
  workflow: [{ step: 1, label: 'Sleep a minute', platform: 'shell', inputs: { command: "echo 'sleeping'; sleep 60" } }],
};

export function writeWorkflowFile(dir: string, fileName: string, workflow: unknown): string {
  const path = join(dir, fileName);
  writeFileSync(path, typeof workflow === 'string' ? workflow : `${JSON.stringify(workflow, null, 2)}\n`);
  return path;
}
