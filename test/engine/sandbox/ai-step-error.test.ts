/**
 * An AI step's error when the sandbox stopped it: the tool's own account (Claude Code's result,
 * as 2.1.332 printed it in a sandbox without network, run against the stand-in model server) and,
 * after it, the sandbox's explanation that Photon added to the output.
 */
import { describe, expect, it } from 'vitest';
import { readToolResult } from '../../../electron/engine/runs/attempt-ending.js';
import { claudeCodeAdapter } from '../../../electron/engine/tools/index.js';

const claudeResult = JSON.stringify({
  type: 'result',
  subtype: 'success',
  is_error: true,
  duration_ms: 2100,
  num_turns: 1,
  result: 'API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)',
  session_id: '0f0e0d0c-1111-4222-8333-444455556666',
  total_cost_usd: 0,
  usage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 },
});
const sandboxLine =
  'photon: the sandbox has no network ("Connection refused"): an AI tool cannot reach its API, and nothing outside the sandbox is reachable, 127.0.0.1 included. To allow it, set "network": true in workflow[0].sandbox.';

describe("a sandboxed AI step's error", () => {
  it("says the tool's failure, then what the sandbox refused and the setting that allows it", () => {
    const { result } = readToolResult(claudeCodeAdapter, `${claudeResult}\r\n\r\n${sandboxLine}\r\n`, { exitCode: 1, signal: null }, {}, false);
    expect(result.error).toBe(
      'Claude Code reported an error: API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED). ' +
        'The sandbox has no network ("Connection refused"): an AI tool cannot reach its API, and nothing outside the sandbox is reachable, 127.0.0.1 included. To allow it, set "network": true in workflow[0].sandbox.',
    );
  });

  it('is left as the tool said it when no sandbox was involved', () => {
    const { result } = readToolResult(claudeCodeAdapter, `${claudeResult}\r\n`, { exitCode: 1, signal: null }, {}, false);
    expect(result.error).toBe('Claude Code reported an error: API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)');
  });
});
