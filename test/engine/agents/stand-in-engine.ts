/**
 * An engine whose AI tools are the stand-in CLIs of test/fixtures/tools, found by the engine's own
 * detection on a temporary PATH (no login shell, so the answer does not depend on this machine).
 * Every stand-in run appends its argv, folder and environment (credentials as sha256) to `log`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { Engine, EngineOptions } from '../../../electron/engine/index.js';
import { makeTempDir, removeDir, startEngine } from '../helpers.js';
import { standInsDir } from '../tools/tool-test-helpers.js';

/** scripts/run-tests.js starts a private D-Bus session with an unlocked keyring and sets this. */
export const keychainReady = process.env.PHOTON_REQUIRE_KEYCHAIN === '1';

export const standInNames = ['claude', 'codex', 'gemini', 'agy', 'cursor-agent', 'aider'] as const;

export interface StandInRun {
  tool: string;
  argv: string[];
  cwd: string;
  env: Record<string, string | { set: boolean; sha256: string }>;
  pid: number;
}

export interface StandInSandbox {
  root: string;
  dataDir: string;
  work: string;
  bin: string;
  log: string;
  engine: Engine;
  /** Each stand-in run so far, in order. */
  runs(): StandInRun[];
}

export interface StandInOptions {
  /** Stand-ins put on PATH (all by default). */
  tools?: readonly (typeof standInNames)[number][];
  /** Added to the environment steps start from. */
  env?: Record<string, string>;
  engine?: Partial<EngineOptions>;
}

export function createStandInSandbox(label: string, options: StandInOptions = {}): Promise<StandInSandbox> & { root: string } {
  const root = makeTempDir(label);
  const sandbox = {
    root,
    dataDir: join(root, 'data'),
    work: join(root, 'work'),
    bin: join(root, 'bin'),
    log: join(root, 'stand-ins.log'),
  };
  mkdirSync(sandbox.work);
  mkdirSync(sandbox.bin);
  // The stand-ins are `#!/usr/bin/env node` scripts: node must be on the PATH they run with.
  symlinkSync(process.execPath, join(sandbox.bin, 'node'));
  for (const name of options.tools ?? standInNames) symlinkSync(join(standInsDir, name), join(sandbox.bin, name));
  const env = {
    PATH: `${sandbox.bin}:/usr/bin:/bin`,
    HOME: root,
    LANG: 'C.UTF-8',
    PHOTON_STANDIN_DELAY_MS: '1',
    PHOTON_STANDIN_LOG: sandbox.log,
    ...options.env,
  };
  const started = startEngine(sandbox.dataDir, { env, loginShell: false, keychainService: `Photon-test-${randomUUID()}`, ...options.engine }).then((engine) => ({
    ...sandbox,
    engine,
    runs: () => (existsSync(sandbox.log) ? readFileSync(sandbox.log, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as StandInRun) : []),
  }));
  return Object.assign(started, { root });
}

/** A fresh stand-in sandbox per test, closed and removed after it. */
export function useStandInSandbox(label: string, options: StandInOptions = {}): { current: StandInSandbox } {
  const holder = {} as { current: StandInSandbox };
  beforeEach(async () => {
    holder.current = await createStandInSandbox(label, options);
  });
  afterEach(async () => {
    await holder.current.engine.close();
    removeDir(holder.current.root);
  });
  return holder;
}
