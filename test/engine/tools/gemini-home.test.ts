/**
 * Gemini CLI's per-attempt home for a custom endpoint, and what a refused Gemini sign-in tells the
 * user: real files in a temporary folder.
 */
import { existsSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authFailureAdvice, geminiAdapter } from '../../../electron/engine/tools/index.js';
import { makeTempDir, removeDir } from '../helpers.js';

let root: string;
let home: string;
let folder: string;

beforeEach(() => {
  root = makeTempDir('gemini-home');
  home = join(root, 'home');
  folder = join(root, 'attempt-1.tmp');
  mkdirSync(join(home, '.gemini'), { recursive: true });
  mkdirSync(folder);
});

afterEach(() => removeDir(root));

const prepare = (env: Record<string, string>) => geminiAdapter.prepareFolder!({ HOME: home, GEMINI_API_KEY: 'k', ...env }, folder, { for: 'step' });

describe("Gemini's home for an attempt with GOOGLE_GEMINI_BASE_URL", () => {
  it("selects the API key in a copy of the user's settings, links their other Gemini files, and leaves theirs as they were", () => {
    const theirs = JSON.stringify({ model: { name: 'gemini-2.5-flash' }, security: { folderTrust: { enabled: true }, auth: { selectedType: 'oauth-personal' } } });
    writeFileSync(join(home, '.gemini', 'settings.json'), theirs);
    writeFileSync(join(home, '.gemini', 'GEMINI.md'), 'Be brief.');
    const env = prepare({ GOOGLE_GEMINI_BASE_URL: 'https://gateway.example/gemini' });
    expect(env).toEqual({ GEMINI_CLI_HOME: join(folder, 'gemini-home') });
    const settings = JSON.parse(readFileSync(join(folder, 'gemini-home', '.gemini', 'settings.json'), 'utf8')) as unknown;
    expect(settings).toEqual({ model: { name: 'gemini-2.5-flash' }, security: { folderTrust: { enabled: true }, auth: { selectedType: 'gemini-api-key' } } });
    expect(readlinkSync(join(folder, 'gemini-home', '.gemini', 'GEMINI.md'))).toBe(join(home, '.gemini', 'GEMINI.md'));
    expect(readFileSync(join(home, '.gemini', 'settings.json'), 'utf8')).toBe(theirs);
  });

  it('adds nothing without a custom endpoint, for Vertex AI, or when the user already selects the API key', () => {
    expect(prepare({})).toEqual({});
    expect(prepare({ GOOGLE_GEMINI_BASE_URL: 'https://g.example', GOOGLE_GENAI_USE_VERTEXAI: 'true' })).toEqual({});
    writeFileSync(join(home, '.gemini', 'settings.json'), JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } } }));
    expect(prepare({ GOOGLE_GEMINI_BASE_URL: 'https://g.example' })).toEqual({});
    expect(existsSync(join(folder, 'gemini-home'))).toBe(false);
  });

  it('writes the auth choice alone when the user has no settings file', () => {
    prepare({ GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:8080' });
    expect(JSON.parse(readFileSync(join(folder, 'gemini-home', '.gemini', 'settings.json'), 'utf8'))).toEqual({ security: { auth: { selectedType: 'gemini-api-key' } } });
  });
});

describe('what a refused sign-in tells the user', () => {
  it('names the variable that held the key, never its value', () => {
    expect(authFailureAdvice('codex', { CODEX_API_KEY: 'sk-secret', OPENAI_API_KEY: 'sk-secret' })).toBe(
      "check the key in CODEX_API_KEY / OPENAI_API_KEY (the agent's secrets, or your environment): the server refused it",
    );
    expect(authFailureAdvice('gemini', { GEMINI_API_KEY: 'g', GOOGLE_GEMINI_BASE_URL: 'https://gw.example' })).toBe(
      "check the key in GEMINI_API_KEY at GOOGLE_GEMINI_BASE_URL=https://gw.example (the agent's secrets, or your environment): the server refused it",
    );
  });

  it('steers a Gemini user without a key to Antigravity, whose Google sign-in still works', () => {
    expect(authFailureAdvice('gemini', {})).toMatch(/Google ended that for personal accounts in June 2026\. Use Antigravity \(agy\) for a personal account, or give this agent a GEMINI_API_KEY secret$/);
  });
});
