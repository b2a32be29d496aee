/**
 * Which AI tools a host has: each adapter's executable looked up with the PATH a step there gets,
 * and its version asked, in one command over the shared connection.
 */
import type { RemoteToolInfo } from '../../../shared/hosts.js';
import { allToolAdapters, extractVersion, isAiToolAdapter } from '../tools/index.js';
import type { HostConnection } from './connection.js';
import { quote } from './remote-script.js';

/** One line per adapter: `platform<TAB>path<TAB>first line of its version`, empty fields when absent. */
function detectionScript(): string {
  const lines = ['t=""; command -v timeout >/dev/null 2>&1 && t="timeout 20"'];
  for (const adapter of allToolAdapters) {
    if (!isAiToolAdapter(adapter)) continue;
    const names = adapter.binaries.map(quote).join(' ');
    const version = adapter.versionArgs.map(quote).join(' ');
    lines.push(
      `p=""; for b in ${names}; do p=$(command -v "$b" 2>/dev/null) && break; p=""; done`,
      `v=""; [ -n "$p" ] && v=$($t "$p" ${version} </dev/null 2>&1 | tr '\\t' ' ' | grep -m1 '[0-9]')`,
      `printf '%s\\t%s\\t%s\\n' ${quote(adapter.platform)} "$p" "$v"`,
    );
  }
  return lines.join('\n');
}

export async function remoteTools(connection: HostConnection): Promise<RemoteToolInfo[]> {
  const result = await connection.run(`exec /bin/sh -c ${quote(detectionScript())}`, { timeoutMs: 120_000 });
  if (result.code !== 0 && result.stdout === '') {
    throw new Error(`host "${connection.name}": looking for tools failed: ${result.stderr.trim() || `exit code ${result.code}`}`);
  }
  const found = new Map(
    result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [platform, path, version] = line.split('\t');
        return [platform!, { path: path || null, version: version ? (extractVersion(version) ?? version.trim()) : null }] as const;
      }),
  );
  return allToolAdapters.filter(isAiToolAdapter).map((adapter) => {
    const seen = found.get(adapter.platform);
    return { platform: adapter.platform, label: adapter.label, installed: Boolean(seen?.path), path: seen?.path ?? null, version: seen?.path ? seen.version : null };
  });
}
