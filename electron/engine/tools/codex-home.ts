/**
 * Codex's interactive session with a key. `codex exec` 0.171 reads CODEX_API_KEY, but the
 * interactive TUI reads no key from the environment (CODEX_API_KEY and OPENAI_API_KEY alike): with
 * no stored login it opens on its sign-in screen. Its stored login is $CODEX_HOME/auth.json, which
 * `codex login --with-api-key` writes as {"auth_mode": "apikey", "OPENAI_API_KEY": ...}. A terminal
 * given a key therefore gets a Codex home of its own holding that file (owner-only, in the
 * terminal's own folder under Photon's private data, removed when the terminal's program ends),
 * with the user's other Codex files linked in (config, sessions, AGENTS.md). An agent's key always
 * does (with a gateway's endpoint, the user's own ChatGPT login must not go there); a key that is
 * only in the user's environment does when they have no stored login of their own, which stays
 * theirs otherwise. Steps need none of it.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { linkUserFiles } from './linked-home.js';

/** The files of the user's Codex home that hold or guard their own login. */
const loginFiles = ['auth.json', 'auth.json.lock', 'auth.lock'];

/** Variables that give an interactive Codex the key its environment carries (already mapped to CODEX_API_KEY). */
export function codexTerminalHome(env: Readonly<Record<string, string>>, folder: string, agentEnv: Readonly<Record<string, string>>): Record<string, string> {
  const key = env.CODEX_API_KEY?.trim();
  if (!key) return {};
  const userCodex = env.CODEX_HOME || join(env.HOME || homedir(), '.codex');
  const agentKey = ['CODEX_API_KEY', 'OPENAI_API_KEY'].some((name) => (agentEnv[name] ?? '').trim() !== '');
  if (!agentKey && existsSync(join(userCodex, 'auth.json'))) return {};
  const home = join(folder, 'codex-home');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  linkUserFiles(userCodex, home, loginFiles);
  writeFileSync(join(home, 'auth.json'), `${JSON.stringify({ auth_mode: 'apikey', OPENAI_API_KEY: key }, null, 2)}\n`, { mode: 0o600 });
  return { CODEX_HOME: home };
}
