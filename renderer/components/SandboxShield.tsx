import type { SandboxInput } from '../../shared/sandbox.js';
import { usePhoton } from '../lib/app-context.js';
import './sandbox-shield.css';

interface SandboxShieldProps {
  /** The step's own sandbox, as written (defaults not yet applied on a draft). */
  sandbox?: SandboxInput;
  /** The agent the step names: its sandbox applies when the step has none. */
  agentId?: string;
}

/** What a sandbox allows, in words: the shield's tooltip and accessible name. */
export function sandboxWords(sandbox: SandboxInput, from: string | null): string {
  const write = sandbox.write ?? ['worktree'];
  const writes = write.length === 0 ? 'nothing but its temp folder' : write.map((entry) => (entry === 'worktree' ? 'its worktree' : entry)).join(', ');
  return `Sandboxed${from ? ` by agent ${from}` : ''}: writes ${writes}; network ${sandbox.network ? 'allowed' : 'off'}`;
}

/** A shield on a step that runs fenced in by the OS sandbox (its own, or its agent's). */
export function SandboxShield({ sandbox, agentId }: SandboxShieldProps) {
  const agentSandbox = usePhoton((s) => (sandbox || !agentId ? undefined : s.agents.list.find((agent) => agent.id === agentId)?.sandbox));
  const shown = sandbox ?? agentSandbox;
  if (!shown) return null;
  const words = sandboxWords(shown, sandbox ? null : (agentId ?? null));
  return (
    <span className="sandbox-shield" role="img" aria-label={words} title={words} data-network={shown.network ? 'on' : 'off'}>
      <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
        <path d="M8 1.2 2.5 3.3v4.1c0 3.4 2.3 6.2 5.5 7.4 3.2-1.2 5.5-4 5.5-7.4V3.3L8 1.2Z" fill="currentColor" />
      </svg>
    </span>
  );
}
