import { describe, expect, it } from 'vitest';
import { autonomyHint, toolKeysHint } from '../../renderer/agents/agent-form-hints.js';
import { usualSecretNames } from '../../shared/tool-keys.js';

describe('the agent form says what each tool reads', () => {
  it('names the variables Codex 0.171 reads, and that Photon passes OPENAI_* there', () => {
    expect(toolKeysHint('codex')).toMatch(/^Reads its key from CODEX_API_KEY or OPENAI_API_KEY; its endpoint from OPENAI_BASE_URL\. Codex 0\.171 reads CODEX_API_KEY only .*Photon passes OPENAI_API_KEY as CODEX_API_KEY and OPENAI_BASE_URL as -c openai_base_url/);
  });

  it("names Claude Code's and Gemini's, and says Antigravity reads none", () => {
    expect(toolKeysHint('claude-code')).toMatch(/^Reads its key from ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or CLAUDE_CODE_OAUTH_TOKEN; its endpoint from ANTHROPIC_BASE_URL\./);
    expect(toolKeysHint('gemini')).toMatch(/GOOGLE_GEMINI_BASE_URL.*use Antigravity \(agy\)\.$/);
    expect(toolKeysHint('agy')).toMatch(/^Reads no key\. Antigravity signs in with your Google account/);
    expect(toolKeysHint('shell')).toBeUndefined();
  });

  it('offers the key names the tools read as secret names, CODEX_API_KEY among them', () => {
    expect(usualSecretNames).toEqual(expect.arrayContaining(['ANTHROPIC_API_KEY', 'CODEX_API_KEY', 'OPENAI_API_KEY', 'GEMINI_API_KEY', 'CURSOR_API_KEY', 'ZAI_API_KEY']));
    expect(new Set(usualSecretNames).size).toBe(usualSecretNames.length);
  });
});

describe('the agent form warns before "full" is picked for Claude Code', () => {
  it('says Claude Code refuses it as root, before and after it is picked', () => {
    expect(autonomyHint('claude-code', 'default')).toBe('Claude Code refuses "Full" (bypassPermissions) when it runs as root, as in many containers.');
    expect(autonomyHint('zai', 'full')).toMatch(/when it runs as root, as in many containers: if Photon runs as root, its steps fail; pick Auto-edit there\.$/);
    expect(autonomyHint('codex', 'full')).toBeUndefined();
  });
});
