// The baseline: only spawn COUNT `$SHELL -c true` processes through node-pty, CONCURRENCY at a time,
// and wait for each to exit. No graph, no storage, no events. Prints the loop's own time in ms.
import { performance } from 'node:perf_hooks';
import pty from 'node-pty';

const count = Number(process.argv[2] ?? 1000);
const concurrency = Number(process.argv[3] ?? 2);
const shell = process.env.SHELL || '/bin/sh';
const started = performance.now();
let launched = 0;
let exited = 0;

await new Promise((resolve) => {
  const next = () => {
    if (launched === count) {
      if (exited === count) resolve();
      return;
    }
    launched++;
    const child = pty.spawn(shell, ['-c', 'true'], { name: 'xterm-256color', cols: 120, rows: 30, cwd: process.cwd(), env: process.env });
    child.onData(() => {});
    child.onExit(() => {
      exited++;
      next();
    });
  };
  for (let i = 0; i < concurrency; i++) next();
});

process.stdout.write(`${(performance.now() - started).toFixed(1)}\n`);
