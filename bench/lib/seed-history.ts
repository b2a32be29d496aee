/**
 * A long history for the REST API bench: `count` ended runs written straight into a Photon
 * database (after its migrations ran), as months of daily use leave them: each a workflow of
 * `steps` shell steps with its definition, its steps' rows and one attempt each, newest last.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

const statuses = ['succeeded', 'succeeded', 'succeeded', 'failed', 'cancelled'] as const;

export function seedHistory(dataDir: string, count: number, steps = 8): void {
  const db = new Database(join(dataDir, 'photon.db'));
  try {
    const definition = (n: number) =>
      JSON.stringify({
        name: `nightly ${n % 40}`,
        description: 'Builds, tests and packages the app, then asks two agents to review the diff.',
        workflow: Array.from({ length: steps }, (_, i) => ({
          step: i + 1,
          label: `Step ${i + 1} of nightly`,
          platform: 'shell',
          inputs: { command: `npm run task-${i + 1} -- --reporter=dot --filter=packages/*/src/**/*.ts` },
          dependencies: i === 0 ? [] : [i],
          timeout: 600,
          retry: { maxAttempts: 2 },
        })),
      });
    const insertRun = db.prepare(
      `INSERT INTO runs (id, workflow_name, definition, status, concurrency, base_dir, owner, created_at, started_at, finished_at)
       VALUES (?, ?, ?, ?, 4, '/home/user/project', NULL, ?, ?, ?)`,
    );
    const insertStep = db.prepare(`INSERT INTO steps (run_id, step, status, attempts, exit_code, started_at, finished_at, output) VALUES (?, ?, ?, 1, ?, ?, ?, ?)`);
    const insertAttempt = db.prepare(
      `INSERT INTO attempts (run_id, step, attempt, status, started_at, finished_at, exit_code, output_path, tail) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)`,
    );
    const start = Date.parse('2026-01-01T00:00:00Z');
    db.transaction(() => {
      for (let n = 0; n < count; n++) {
        const id = `seed${String(n).padStart(11, '0')}`;
        const status = statuses[n % statuses.length]!;
        const at = (offset: number) => new Date(start + n * 600_000 + offset).toISOString();
        insertRun.run(id, `nightly ${n % 40}`, definition(n), status, at(0), at(1000), at(60_000));
        for (let step = 1; step <= steps; step++) {
          const stepStatus = status === 'succeeded' || step < steps ? 'succeeded' : status;
          insertStep.run(id, step, stepStatus, stepStatus === 'succeeded' ? 0 : 1, at(step * 5000), at(step * 5000 + 4000), `task ${step} ok`);
          insertAttempt.run(id, step, stepStatus, at(step * 5000), at(step * 5000 + 4000), stepStatus === 'succeeded' ? 0 : 1, join(dataDir, 'runs', id, `${step}-1.log`), 'ok\n'.repeat(200));
        }
      }
    })();
  } finally {
    db.close();
  }
}
