/**
 * Which environment variables each AI tool reads its credentials and endpoint from, as the
 * installed versions were seen to (Dec 2026: claude-code 2.1.197, codex 0.171, gemini-cli 0.61).
 * The agent form shows it, the secrets page suggests these names, and the engine names them when
 * a tool's credentials are refused.
 */
export interface ToolKeys {
  /** Variables a key may be given in, the usual one first. */
  keys: string[];
  /** The variable that points the tool at another endpoint (a gateway, a proxy), if it has one. */
  baseUrl?: string;
  /** One sentence for the agent form: where else the tool gets credentials, and what Photon maps. */
  note: string;
}

export const toolKeys: Readonly<Record<string, ToolKeys>> = {
  'claude-code': {
    keys: ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'],
    baseUrl: 'ANTHROPIC_BASE_URL',
    note: 'Without a key it uses the subscription you signed in to with `claude`. ANTHROPIC_AUTH_TOKEN is a bearer token for gateways.',
  },
  zai: {
    keys: ['ZAI_API_KEY', 'ANTHROPIC_AUTH_TOKEN'],
    note: "Your Z.AI key, passed to Claude Code as ANTHROPIC_AUTH_TOKEN with Z.AI's endpoint; your own Anthropic credentials are never sent there.",
  },
  codex: {
    keys: ['CODEX_API_KEY', 'OPENAI_API_KEY'],
    baseUrl: 'OPENAI_BASE_URL',
    note: 'Codex 0.171 reads CODEX_API_KEY only and takes its endpoint from the config key openai_base_url: Photon passes OPENAI_API_KEY as CODEX_API_KEY and OPENAI_BASE_URL as -c openai_base_url. Without a key it uses your `codex login`.',
  },
  gemini: {
    keys: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    baseUrl: 'GOOGLE_GEMINI_BASE_URL',
    note: 'GOOGLE_API_KEY is for Vertex AI (with GOOGLE_GENAI_USE_VERTEXAI=true). With GOOGLE_GEMINI_BASE_URL, Photon gives each step settings that select the API key. Personal Google accounts can no longer sign in to Gemini CLI (June 2026): use Antigravity (agy).',
  },
  agy: {
    keys: [],
    note: 'Antigravity signs in with your Google account (run `agy` once in a terminal); it reads no key.',
  },
  cursor: {
    keys: ['CURSOR_API_KEY'],
    note: 'Without a key it uses your `cursor-agent login`.',
  },
  aider: {
    keys: ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'DEEPSEEK_API_KEY', 'OPENROUTER_API_KEY'],
    note: "The key of its model's provider; every aider option also has an AIDER_* variable.",
  },
};

/** The names the secrets page offers: every tool's keys, each once, the usual ones first. */
export const usualSecretNames: readonly string[] = [...new Set(Object.values(toolKeys).flatMap((tool) => tool.keys))];
