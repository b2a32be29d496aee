#!/usr/bin/env node
// `npm test`: the typecheck and the lint beside the test suite instead of before it. The suite's
// workers spend much of their time waiting (timeouts, retries, other processes), so the two checks
// (about a minute of CPU between them) fit into that idle time, at a lower priority than the tests;
// run first, they held every test up by as long. The result is the same: npm test fails when any of
// the three does. Each check's output is printed once it has finished, so it is not mixed into the
// test reporter's lines.
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);

function check(name, script, scriptArgs) {
  const started = Date.now();
  const child = spawn(process.execPath, [join(root, script), ...scriptArgs], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    setPriority(child.pid, 10);
  } catch {
    // Not allowed here: the check then competes with the tests as an equal, which is still correct.
  }
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`\n${name}: could not start: ${error.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      const status = code ?? (signal ? 1 : 0);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (status === 0) process.stdout.write(`\n${name}: passed in ${seconds} s\n`);
      else process.stderr.write(`\n${name}: FAILED (exit ${status}) in ${seconds} s\n${output}\n`);
      resolve(status);
    });
  });
}

function runTests() {
  const child = spawn(process.execPath, [join(root, 'scripts', 'run-tests.js'), ...args], { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

const results = await Promise.all([
  check('typecheck (tsc --noEmit)', 'node_modules/typescript/bin/tsc', ['--noEmit', '-p', 'tsconfig.json']),
  check('lint (eslint .)', 'node_modules/eslint/bin/eslint.js', ['.']),
  runTests(),
]);
const [typecheck, lint, tests] = results;
if (typecheck !== 0 || lint !== 0) process.stderr.write(`\nnpm test: ${[typecheck !== 0 && 'the typecheck', lint !== 0 && 'the lint'].filter(Boolean).join(' and ')} failed (output above)\n`);
process.exitCode = tests !== 0 ? tests : typecheck !== 0 ? typecheck : lint;
