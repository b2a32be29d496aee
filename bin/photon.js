#!/usr/bin/env node
// The `photon` command. tsx compiles the TypeScript sources on the fly, so the command works right
// after `npm install` on a fresh clone, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/server/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
// Every command closes what it opened; should a handle still linger, do not hang the shell on it.
setTimeout(() => process.exit(), 2000).unref();
