/**
 * Prints a step with every attempt (`steps.get`) as JSON: `tsx test/real-clis/read-step.ts DATA_DIR
 * RUN_ID STEP`. A process of its own, like `photon run`, so it reads the database with the code the
 * run wrote it with, not the engine the test process loaded when it started.
 */
import { createEngine } from '../../electron/engine/index.js';

const [dataDir, runId, step] = process.argv.slice(2);
if (!dataDir || !runId || !step) throw new Error('usage: read-step.ts DATA_DIR RUN_ID STEP');
const engine = await createEngine({ dataDir, host: 'cli' });
try {
  process.stdout.write(`${JSON.stringify(await engine.call('steps.get', { runId, step: Number(step) }))}\n`);
} finally {
  await engine.close();
}
