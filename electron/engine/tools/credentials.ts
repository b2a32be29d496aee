/**
 * What to tell a user whose tool's credentials were refused: which variable held the key that was
 * sent (by name, never its value), or that none was, and where the tool reads one.
 */
import { toolKeys } from '../../../shared/tool-keys.js';

export function authFailureAdvice(platform: string, env: Readonly<Record<string, string | undefined>>): string {
  const known = toolKeys[platform];
  if (!known) return 'check the credentials this tool uses';
  const given = known.keys.filter((name) => (env[name] ?? '').trim() !== '');
  const endpoint = known.baseUrl && env[known.baseUrl] ? ` at ${known.baseUrl}=${env[known.baseUrl]}` : '';
  if (platform === 'gemini' && given.length === 0) {
    return (
      'no key was given, so Gemini CLI tried a Google sign-in; Google ended that for personal accounts in June 2026. ' +
      'Use Antigravity (agy) for a personal account, or give this agent a GEMINI_API_KEY secret'
    );
  }
  if (given.length === 0) {
    return known.keys.length > 0 ? `no key was given and the tool's own sign-in was refused: give the agent a secret for ${known.keys[0]}, or sign in to the tool again` : 'sign in to the tool again in a terminal';
  }
  return `check the key in ${given.join(' / ')}${endpoint} (the agent's secrets, or your environment): the server refused it`;
}
