/**
 * The real Codex, run by the real `photon run` against the stand-in model server: what a user gets
 * from a workflow (cli-cases.ts), and Photon retrying it once it gives up on an API that keeps
 * failing. `npm run test:real-clis` runs this inside a network namespace with only loopback, so
 * nothing can leave the machine.
 */
import { describeThroughPhotonRun } from './cli-cases.js';
import { useRealClis } from './harness.js';

const context = useRealClis();

describeThroughPhotonRun(context, 'codex');
