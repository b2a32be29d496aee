/**
 * Gemini CLI with a custom endpoint. With GOOGLE_GEMINI_BASE_URL set (a gateway or a proxy), 0.61
 * picks the auth type "gateway" from the environment, which headless mode refuses: exit 41,
 * "Invalid auth method selected.", unless its settings select `gemini-api-key`. Photon never edits
 * the user's ~/.gemini; each such attempt gets its own Gemini home (GEMINI_CLI_HOME, which the CLI
 * documents) holding the user's settings with that one choice made, and the user's other Gemini
 * files linked in, so extensions, memory and commands still apply.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { linkUserFiles } from './linked-home.js';

const apiKeyAuth = 'gemini-api-key';

type Settings = Record<string, unknown>;

/** Variables that give this attempt a Gemini home selecting the API key, when its endpoint needs one. */
export function geminiAttemptHome(env: Readonly<Record<string, string>>, folder: string): Record<string, string> {
  const baseUrl = env.GOOGLE_GEMINI_BASE_URL?.trim();
  // Vertex AI and a Google login choose their own auth; only the API key goes through a gateway URL.
  if (!baseUrl || env.GOOGLE_GENAI_USE_VERTEXAI === 'true' || env.GOOGLE_GENAI_USE_GCA === 'true') return {};

  const userGemini = join(env.GEMINI_CLI_HOME || env.HOME || homedir(), '.gemini');
  const settings = readSettings(join(userGemini, 'settings.json'));
  if (authOf(settings) === apiKeyAuth) return {};

  const home = join(folder, 'gemini-home');
  const gemini = join(home, '.gemini');
  mkdirSync(gemini, { recursive: true });
  linkUserFiles(userGemini, gemini, ['settings.json']);
  writeFileSync(join(gemini, 'settings.json'), `${JSON.stringify(withApiKeyAuth(settings ?? {}), null, 2)}\n`, { mode: 0o600 });
  return { GEMINI_CLI_HOME: home };
}

/**
 * For the tools list: a Gemini CLI that signs in with a personal Google account, which Google
 * retired for Gemini CLI in June 2026 in favour of Antigravity (`agy`). Both stay usable; the
 * user is told where to go.
 */
export function geminiSignInNotes(env: Readonly<Record<string, string | undefined>>): string[] {
  if ((env.GEMINI_API_KEY ?? '').trim() !== '' || env.GOOGLE_GENAI_USE_VERTEXAI === 'true') return [];
  const file = join(env.GEMINI_CLI_HOME || env.HOME || homedir(), '.gemini', 'settings.json');
  const auth = authOf(readSettings(file));
  if (auth !== 'oauth-personal' && env.GOOGLE_GENAI_USE_GCA !== 'true') return [];
  return [
    `Gemini CLI here signs in with a Google account (${auth === 'oauth-personal' ? `"oauth-personal" in ${file}` : 'GOOGLE_GENAI_USE_GCA'}); Google ended that sign-in for personal accounts in June 2026. ` +
      'For a personal account use Antigravity (agy), which Photon runs too; for Gemini CLI, give its agents a GEMINI_API_KEY secret.',
  ];
}

/** The user's settings, or undefined when there are none or they are not plain JSON (then only the auth choice is written). */
function readSettings(file: string): Settings | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Settings) : undefined;
  } catch {
    return undefined;
  }
}

function authOf(settings: Settings | undefined): unknown {
  const security = settings?.security as Settings | undefined;
  return (security?.auth as Settings | undefined)?.selectedType;
}

function withApiKeyAuth(settings: Settings): Settings {
  const security = (settings.security ?? {}) as Settings;
  const auth = (security.auth ?? {}) as Settings;
  return { ...settings, security: { ...security, auth: { ...auth, selectedType: apiKeyAuth } } };
}
