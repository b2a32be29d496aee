/**
 * Health: `/health` for a supervisor (the engine answers), `/health/detailed` for a person
 * deciding what is wrong (the database, the keychain, the tools, the disk).
 */
import { statfs } from 'node:fs/promises';
import type { z } from 'zod';
import { detailedHealthSchema, healthSchema, type DetailedHealth } from '../../../../shared/rest.js';
import { isToolUsable } from '../../../../shared/tools.js';
import type { Engine } from '../../../engine/index.js';
import { ok } from '../envelope.js';
import { answer, apiRoute, errorResponses, type ApiApp, type RouteDeps } from './route.js';

/** Below this much free space on the data folder's disk, runs may fail to write their output. */
const lowDiskBytes = 1024 * 1024 * 1024;

type Check = DetailedHealth['checks']['engine'];

export function registerHealth(app: ApiApp, deps: RouteDeps): void {
  const { engine, hooks } = deps;
  app.openapi(
    apiRoute(hooks, 'read', { method: 'get', path: '/health', tags: ['health'], summary: 'The engine answers', responses: { 200: answer('The engine is up', healthSchema), ...errorResponses } }),
    (c) => ok(c, { status: 'ok' as const }),
  );
  app.openapi(
    apiRoute(hooks, 'read', {
      method: 'get',
      path: '/health/detailed',
      tags: ['health'],
      summary: 'Engine, database, keychain, tools and disk, each with its state',
      responses: { 200: answer('Each part\'s state; `status` is the worst of them', detailedHealthSchema), ...errorResponses },
    }),
    async (c) => ok(c, await detailedHealth(engine, deps.startedAt)),
  );
}

async function detailedHealth(engine: Engine, startedAt: number): Promise<z.infer<typeof detailedHealthSchema>> {
  const info = await engine.call('system.info', undefined);
  const [database, keychain, tools, disk] = await Promise.all([
    check(async () => {
      await engine.call('runs.list', { limit: 1 });
      return { status: 'ok', detail: 'SQLite answers' };
    }),
    check(async () => {
      const secrets = await engine.call('secrets.list', undefined);
      return secrets.available ? { status: 'ok', detail: `${secrets.names.length} secret(s) stored` } : { status: 'degraded', detail: secrets.reason ?? 'the keychain is not available' };
    }),
    check(async () => {
      const found = await engine.call('tools.list', undefined);
      const usable = found.filter(isToolUsable).map((tool) => tool.platform);
      return { status: usable.length > 0 ? 'ok' : 'degraded', detail: `usable: ${usable.join(', ') || 'none'}` };
    }),
    check(async () => {
      const stats = await statfs(info.dataDir);
      const free = stats.bavail * stats.bsize;
      const detail = `${(free / 1024 ** 3).toFixed(1)} GiB free for ${info.dataDir}`;
      return { status: free < lowDiskBytes ? 'degraded' : 'ok', detail };
    }),
  ]);
  const checks = { engine: { status: 'ok' as const, detail: `Photon ${info.version} (${info.host}) on ${info.platform}` }, database, keychain, tools, disk };
  const states = Object.values(checks).map((entry) => entry.status);
  const status = states.includes('down') ? 'down' : states.includes('degraded') ? 'degraded' : 'ok';
  return { status, version: info.version, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), checks };
}

/** One part's state; a part that throws is down, with its reason. */
async function check(probe: () => Promise<Check>): Promise<Check> {
  try {
    return await probe();
  } catch (error) {
    return { status: 'down', detail: error instanceof Error ? error.message : String(error) };
  }
}
