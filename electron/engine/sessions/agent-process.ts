import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { AnyMessage, Stream } from '@agentclientprotocol/sdk';
import { terminateProcessGroup } from '../terminals/index.js';

/**
 * An ACP agent's process and its newline-delimited JSON-RPC over stdio. The framing is Photon's own
 * rather than the SDK's `ndJsonStream` because a broken agent must end the session with a reason a
 * user can act on: the SDK answers a malformed line with a parse error and carries on, and a line
 * over its limit only errors the stream.
 */

export interface AgentCommand {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface AgentProcessOptions {
  /** The longest line (one JSON-RPC message) accepted from the agent. */
  maxMessageBytes: number;
  /** Called once, with the first reason the conversation cannot go on. */
  onFailure: (reason: string) => void;
}

/** How much of the agent's stderr is kept for the failure message. */
const stderrTailBytes = 4000;
const knownPermissionKinds = new Set(['allow_once', 'allow_always', 'reject_once', 'reject_always']);

export class AgentProcess {
  readonly stream: Stream;
  readonly pid: number;
  private readonly child: ChildProcessWithoutNullStreams;
  private stderrTail = '';
  private stopping = false;
  private readonly exited: Promise<void>;

  constructor(agent: AgentCommand, private readonly options: AgentProcessOptions) {
    // Its own process group, so stopping it reaches what it started (codex-acp's npm wrapper runs a
    // native binary that outlives a SIGTERM to the wrapper alone).
    this.child = spawn(agent.command, agent.args, { cwd: agent.cwd, env: agent.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    this.pid = this.child.pid ?? -1;
    this.exited = new Promise((resolve) => this.child.once('close', () => resolve()));
    this.child.once('error', (error) => this.fail(`the agent could not be started (${agent.command}): ${error.message}`));
    this.child.once('exit', (code, signal) => {
      if (this.stopping) return;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      // Let stderr drain so its last words reach the message.
      setTimeout(() => this.fail(`the agent ${how}${this.lastWords()}`), 20);
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-stderrTailBytes);
    });
    this.child.stdin.on('error', () => undefined);
    this.stream = { readable: this.readable(), writable: this.writable() };
  }

  /** Stops the agent's whole process group (SIGTERM, a grace, then SIGKILL). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.pid > 0) await terminateProcessGroup(this.pid, 1500);
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
  }

  get stderr(): string {
    return this.stderrTail;
  }

  private lastWords(): string {
    const tail = this.stderrTail.trim().split('\n').slice(-5).join('\n').trim();
    return tail ? `; its last output: ${tail}` : '';
  }

  private fail(reason: string): void {
    if (this.stopping) return;
    this.options.onFailure(reason);
  }

  private readable(): ReadableStream<AnyMessage> {
    const max = this.options.maxMessageBytes;
    const stdout = this.child.stdout;
    return new ReadableStream<AnyMessage>({
      start: (controller) => {
        let pending: Buffer[] = [];
        let pendingBytes = 0;
        let closed = false;
        const close = (error?: string) => {
          if (closed) return;
          closed = true;
          stdout.removeAllListeners('data');
          if (error) this.fail(error);
          // The SDK cancels the stream when its connection closes; a late end must not throw then.
          try {
            if (error) controller.error(new Error(error));
            else controller.close();
          } catch {
            return;
          }
        };
        const line = (bytes: Buffer) => {
          const text = bytes.toString('utf8').trim();
          if (!text) return;
          let message: unknown;
          try {
            message = JSON.parse(text);
          } catch {
            return close(`the agent wrote something that is not JSON-RPC: ${JSON.stringify(text.slice(0, 200))}`);
          }
          if (typeof message !== 'object' || message === null || Array.isArray(message) || (message as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
            return close(`the agent wrote something that is not a JSON-RPC 2.0 message: ${JSON.stringify(text.slice(0, 200))}`);
          }
          const unknownKind = unknownPermissionKind(message);
          if (unknownKind) return close(`the agent asked for a permission of a kind Photon does not know (${JSON.stringify(unknownKind)}); nothing was allowed`);
          controller.enqueue(message as AnyMessage);
        };
        stdout.on('data', (chunk: Buffer) => {
          let start = 0;
          for (let at = chunk.indexOf(10); at !== -1 && !closed; at = chunk.indexOf(10, start)) {
            const part = chunk.subarray(start, at);
            if (pendingBytes + part.length > max) return close(tooLarge(max));
            line(pending.length ? Buffer.concat([...pending, part]) : part);
            pending = [];
            pendingBytes = 0;
            start = at + 1;
          }
          if (closed || start >= chunk.length) return;
          pendingBytes += chunk.length - start;
          if (pendingBytes > max) return close(tooLarge(max));
          pending.push(chunk.subarray(start));
        });
        stdout.once('end', () => {
          if (pendingBytes) line(Buffer.concat(pending));
          close();
        });
      },
    });
  }

  private writable(): WritableStream<AnyMessage> {
    const stdin = this.child.stdin;
    return new WritableStream<AnyMessage>({
      write: (message) =>
        new Promise<void>((resolve) => {
          if (stdin.destroyed || !stdin.writable) return resolve();
          // A write to an agent that has just died resolves rather than rejects: its exit is the
          // reason the session reports, not a broken pipe.
          stdin.write(JSON.stringify(message) + '\n', () => resolve());
        }),
    });
  }
}

function tooLarge(max: number): string {
  return `the agent sent a message larger than ${Math.round(max / 1024)} KiB, Photon's limit for one message; the session was stopped`;
}

function unknownPermissionKind(message: object): string | undefined {
  const m = message as { method?: unknown; params?: { options?: unknown } };
  if (m.method !== 'session/request_permission' || !Array.isArray(m.params?.options)) return undefined;
  for (const option of m.params.options as { kind?: unknown }[]) {
    if (!knownPermissionKinds.has(String(option?.kind))) return String(option?.kind);
  }
  return undefined;
}

