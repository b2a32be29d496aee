/**
 * Says in the step's own output when the sandbox stopped it. The process only sees an error
 * (EROFS for a write outside its folders, ENETUNREACH or a failed name lookup without network);
 * its message is recognised as it streams past, and at the end Photon adds one line per kind of
 * refusal naming what was refused and the setting that allows it. The line goes through the same
 * filter chain as the output, so it reaches the log, the live view and the step's output alike.
 */
import { existsSync } from 'node:fs';
import type { OutputFilter } from '../terminals/index.js';
import { within, type FencePlan } from './plan.js';

type Refusal = 'write' | 'hidden' | 'network' | 'keychain';

const signatures: Record<Exclude<Refusal, 'hidden'>, RegExp> = {
  write: /Read-only file system|\bEROFS\b/,
  // Also the words of Node's fetch (Gemini CLI: "fetch failed") and Rust's reqwest (Codex: "error sending request"), which hide the cause.
  network: /Network is unreachable|\bENETUNREACH\b|Temporary failure in name resolution|\bEAI_AGAIN\b|Could not resolve host|getaddrinfo ENOTFOUND|Name or service not known|fetch failed|error sending request/,
  // libsecret (keytar, secret-tool) without a session bus, or with one that has no Secret Service.
  keychain: /Cannot autolaunch D-Bus|org\.freedesktop\.secrets/,
};
/** Without a network of its own, the sandbox's loopback has no listener: a local service refuses. */
const refusedLocally = /Connection refused|\bECONNREFUSED\b/;
/**
 * A path a program could not find, as coreutils and shells say it ("/x: No such file or
 * directory") and as Node and Python do ("no such file or directory, open '/x'").
 */
const missingPaths = [/(\/[^\s:'"`]+): No such file or directory/gi, /no such file or directory[^\r\n']*'(\/[^'\r\n]+)'/gi];
/** Enough of the previous chunk to find a message split between two. */
const overlap = 512;

export interface ExplainContext {
  plan: FencePlan;
  /** Where the sandbox was written: `workflow[2].sandbox`. */
  place: string;
  /** An AI tool, which needs the network to reach its model's API. */
  aiTool: boolean;
}

/**
 * Wraps the attempt's filter (the redactor, if any) so the sandbox's refusals are said at the end.
 * With a `notice` the step runs unsandboxed: the notice leads its output and nothing is blamed on a sandbox.
 */
export function explainingFilter(inner: OutputFilter | undefined, context: ExplainContext, notice?: string): OutputFilter {
  const seen = new Map<Refusal, string>();
  let carry = '';
  let pendingNotice = notice ? `${notice}\r\n` : '';
  const scan = (text: string) => {
    if (notice) return;
    const window = carry + text;
    carry = window.slice(-overlap);
    for (const [kind, pattern] of Object.entries(signatures) as [Refusal, RegExp][]) {
      // With the network allowed, an unreachable host is the network's doing, not the sandbox's.
      const match = seen.has(kind) || (kind === 'network' && context.plan.network) ? null : pattern.exec(window);
      if (match) seen.set(kind, match[0]);
    }
    const local = !context.plan.network && !seen.has('network') ? refusedLocally.exec(window) : null;
    if (local) seen.set('network', local[0]);
    if (!seen.has('hidden')) {
      const path = missingPaths.flatMap((pattern) => [...window.matchAll(pattern)].map((match) => match[1]!)).find((path) => hiddenBySandbox(path, context.plan));
      if (path) seen.set('hidden', path);
    }
  };
  const lead = () => {
    const text = pendingNotice;
    pendingNotice = '';
    return text;
  };
  return {
    push(chunk) {
      const text = inner ? inner.push(chunk) : chunk;
      scan(text);
      return lead() + text;
    },
    flush() {
      const text = inner ? inner.flush() : '';
      scan(text);
      const lines = [...seen].map(([kind, evidence]) => explanation(kind, evidence, context));
      return lead() + text + (lines.length > 0 ? `\r\n${lines.map((line) => `${line}\r\n`).join('')}` : '');
    },
  };
}

function explanation(kind: Refusal, evidence: string, { plan, place, aiTool }: ExplainContext): string {
  if (kind === 'write') {
    return `photon: the sandbox refused a write outside the step's folders ("${evidence}"): it may write only ${plan.writableShown.join(', ') || 'nothing of its own'} and its temp folder. To allow another folder, add it to "write" in ${place}.`;
  }
  if (kind === 'hidden') {
    return `photon: the sandbox hides ${evidence}: homes, Photon's data and other programs' temp folders are out of its reach. If the step must write there, add the folder to "write" in ${place}.`;
  }
  if (kind === 'network') {
    return `photon: the sandbox has no network ("${evidence}"): ${aiTool ? 'an AI tool cannot reach its API, and ' : ''}nothing outside the sandbox is reachable, 127.0.0.1 included. To allow it, set "network": true in ${place}.`;
  }
  return `photon: the keychain is out of reach in the sandbox ("${evidence}"): give the tool its key as an agent secret, which Photon puts in its environment.`;
}

/** A path the sandbox does not show but this machine has: the sandbox, not the step, made it missing. */
function hiddenBySandbox(path: string, plan: FencePlan): boolean {
  const veiled = [...plan.hidden, ...plan.scratch].some((root) => within(path, root));
  const shown = [...plan.writable, ...plan.readable].some((root) => within(path, root));
  return veiled && !shown && existsSync(path);
}

/**
 * The sandbox's lines in an attempt's whole output, for an AI step's error: the tool's own account
 * ("Connection refused") says what failed, these say why and what to change.
 */
export function sandboxExplanations(text: string): string[] {
  return [...text.matchAll(/^photon: (the sandbox .*|the keychain is out of reach in the sandbox .*)$/gm)].map((match) => match[1]!.trim());
}
