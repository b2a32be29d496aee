import { join } from 'node:path';
import type { Agent } from '../../../shared/agents.js';
import { PhotonError } from '../../../shared/errors.js';
import { formatHostAddress, hostNameSchema, parseHostAddress, repoPathProblem, type HostAddress, type HostInfo, type RemoteToolInfo } from '../../../shared/hosts.js';
import type { WorkflowStep } from '../../../shared/workflow.js';
import type { HostRow, HostsRepository } from '../storage/index.js';
import type { RemoteClone } from '../workspaces/index.js';
import { identityAlive, processIdentity, type OutputFilter } from '../terminals/index.js';
import { HostConnection, HostUnavailable, type Health } from './connection.js';
import { presentedKey, replaceHostKey, trustHostKey } from './host-keys.js';
import { RemoteAttempt, stopOnHost } from './remote-attempt.js';
import { remoteClone } from './remote-clone.js';
import { RemoteMetrics } from './remote-metrics.js';
import { attemptMark, stepScript } from './remote-script.js';
import { remoteTools } from './remote-tools.js';
import type { SshSettings } from './ssh-options.js';

/** How long the tools found on a host count for its steps before they are looked up again. */
const toolsFreshMs = 60_000;

export interface HostServiceOptions {
  repo: HostsRepository;
  dataDir: string;
  /** The user's environment, which ssh runs with (its agent socket, HOME). */
  env: Record<string, string>;
  /** An ssh config file instead of ~/.ssh/config, and whether ~/.ssh/known_hosts counts (tests). */
  ssh?: { configFile?: string; userKnownHosts?: boolean };
  /** The metrics sampler's interval, which remote CPU figures span too. */
  sampleIntervalMs?: number;
  /**
   * Given a host's clone each time a new connection to the host is made (and by visitClones):
   * removes what Photon left there when the host stopped answering. Its failure is retried the next time.
   */
  cloneReachable?: (clone: RemoteClone) => Promise<unknown>;
}

/** What the run executor gives for a step that runs on a host. */
export interface RemoteAttemptRequest {
  host: string;
  runId: string;
  step: WorkflowStep;
  attempt: number;
  title: string;
  /** The step's inputs, templates filled in. */
  inputs: Record<string, unknown>;
  /** An AI tool's invocation there, in place of a shell step's `inputs.command`. */
  command?: { argv: string[]; display: string; unset: string[] };
  /** The folder on the host: the step's cwd, else its agent's, else the remote home. */
  agentCwd: string | null;
  /** The step's folder in its worktree on the host (with isolation), in place of those. */
  worktreeCwd?: string;
  /** The agent's variables and secrets, and the filter that redacts the secrets' values. */
  env: Record<string, string>;
  outputFilter?: OutputFilter;
  /** The attempt's marks (PHOTON_RUN_ID...): on the remote process and on the local ssh. */
  marks: Record<string, string>;
  /** Where the local ssh runs, and the environment it starts from (no secrets in it). */
  localCwd: string;
  localEnv: Record<string, string>;
}

/**
 * Remote hosts: the registry (add, list with health, remove, trust a key), one shared connection
 * per host, the tools found there, and the placement of a step's attempt on its host.
 */
export class HostService {
  private readonly connections = new Map<string, HostConnection>();
  /** The tools each host had when last looked at, for steps there. */
  private readonly toolsSeen = new Map<string, { at: number; tools: RemoteToolInfo[] }>();
  /** Marks of this engine's attempts whose process still runs: never leftovers. */
  private readonly live = new Set<string>();
  private readonly owner = processIdentity(process.pid);
  /** Hosts whose clone is being looked at (cloneReachable), so one connection is not looked at twice and close waits for it. */
  private readonly visits = new Map<string, Promise<void>>();
  private visitingAll: Promise<void> = Promise.resolve();
  private readonly settings: SshSettings;
  /** CPU and memory of the running remote attempts, which the metrics sampler reads each tick. */
  readonly metrics: RemoteMetrics;

  constructor(private readonly options: HostServiceOptions) {
    this.metrics = new RemoteMetrics(options.sampleIntervalMs);
    this.settings = { folder: join(options.dataDir, 'ssh'), configFile: options.ssh?.configFile, userKnownHosts: options.ssh?.userKnownHosts };
  }

  /**
   * `repoPath`: the host's clone of the repository, for steps of runs with workspaces (also given
   * as the address's path, git's `ssh://host/srv/repo`). It is kept as that path of the address.
   */
  add(name: string, addressText: string, repoPath?: string): HostInfo {
    const validName = hostNameSchema.safeParse(name);
    if (!validName.success) throw new PhotonError('invalid', `host name "${name}": ${validName.error.issues[0]!.message}`);
    const address = parseHostAddress(addressText);
    if (typeof address === 'string') throw new PhotonError('invalid', `host "${name}": ${address}`);
    if (repoPath !== undefined && repoPath !== '') address.path = checkedRepoPath(name, repoPath);
    if (!this.options.repo.insert(name, formatHostAddress(address), new Date().toISOString())) {
      throw new PhotonError('conflict', `a host named "${name}" exists already; remove it first (photon hosts remove ${name}) or choose another name`);
    }
    return toInfo(this.options.repo.get(name)!);
  }

  /** Every host; with `check`, each one's connection is made and measured now. */
  async list(check = false): Promise<HostInfo[]> {
    const rows = this.options.repo.list();
    if (check) await Promise.all(rows.map((row) => this.check(row.name)));
    return this.options.repo.list().map(toInfo);
  }

  /** Sets (or with null clears) where the host's clone of the repository is. */
  setRepoPath(name: string, repoPath: string | null): HostInfo {
    const address = this.address(name);
    address.path = repoPath === null || repoPath === '' ? null : checkedRepoPath(name, repoPath);
    this.options.repo.setAddress(name, formatHostAddress(address));
    return toInfo(this.require(name));
  }

  /** The host's clone of the repository, for a step's worktree there (hostFor checked that it has one). */
  clone(name: string): RemoteClone {
    const address = this.address(name);
    if (address.path === null) throw new PhotonError('invalid', noClone(name));
    return remoteClone(this.connection(name), this.settings, address, address.path);
  }

  async check(name: string): Promise<HostInfo> {
    const health = await this.connection(name).health();
    this.record(name, health);
    return toInfo(this.require(name));
  }

  async remove(name: string): Promise<{ removed: boolean }> {
    const connection = this.connections.get(name);
    this.connections.delete(name);
    if (connection) await connection.close();
    return { removed: this.options.repo.remove(name) };
  }

  /**
   * Without a fingerprint: reads the key the host presents, for the user to compare. With one: adds
   * that key to Photon's known_hosts if it is still what the host presents.
   */
  async trust(name: string, fingerprint?: string, replace = false): Promise<{ trusted: boolean; type: string; fingerprint: string }> {
    const address = this.address(name);
    if (!fingerprint) {
      const key = await presentedKey(this.settings, address, this.options.env);
      return { trusted: false, type: key.type, fingerprint: key.fingerprint };
    }
    const key = replace ? await replaceHostKey(this.settings, address, fingerprint, this.options.env, name) : await trustHostKey(this.settings, address, fingerprint, this.options.env, name);
    // A shared connection made with the old key is not this host's any more.
    if (replace) await this.connections.get(name)?.close();
    await this.check(name);
    return { trusted: true, type: key.type, fingerprint: key.fingerprint };
  }

  async tools(name: string): Promise<RemoteToolInfo[]> {
    const connection = this.connection(name);
    await this.connect(connection);
    const found = await remoteTools(connection);
    this.toolsSeen.set(name, { at: Date.now(), tools: found });
    return found;
  }

  /**
   * An AI tool as found on a host, for a step there: looked up once a minute per host at most (one
   * command asks every tool's version, which takes seconds), refused naming the fix when absent.
   */
  async tool(name: string, platform: string): Promise<{ path: string; version: string | null }> {
    const seen = this.toolsSeen.get(name);
    const tools = seen && Date.now() - seen.at < toolsFreshMs ? seen.tools : await this.tools(name);
    const tool = tools.find((t) => t.platform === platform);
    if (!tool?.installed || !tool.path) {
      const label = tool?.label ?? platform;
      throw new PhotonError('unavailable', `host "${name}" has no ${label} on the PATH its steps get (photon tools --host ${name}); install it there, or run the step on this machine`);
    }
    return { path: tool.path, version: tool.version };
  }

  /**
   * The host a step's attempt runs on (its own `host`, else its agent's when that agent is remote),
   * checked before anything is prepared. Undefined: it runs here.
   */
  hostFor(step: WorkflowStep, agent: Agent | null | undefined, isolated: boolean): string | undefined {
    const stepHost = step.host;
    if (stepHost === undefined && agent?.location === 'remote' && !agent.host) {
      throw new PhotonError('invalid', `agent "${agent.id}": location "remote" needs a host; set its host to one of: ${this.options.repo.list().map((row) => row.name).join(', ') || '(none yet: photon hosts add NAME ssh://user@host)'}`);
    }
    const host = stepHost ?? (agent?.location === 'remote' ? agent.host : undefined);
    if (host === undefined) return undefined;
    const place = stepHost !== undefined ? `step ${step.step}` : `agent "${agent!.id}"`;
    this.require(host, place);
    if (isolated && this.address(host).path === null) throw new PhotonError('invalid', `${place}: ${noClone(host)}`);
    return host;
  }

  /** Connects (or reuses the connection), stops what earlier attempts left there, and readies the attempt. */
  async prepareAttempt(request: RemoteAttemptRequest): Promise<{ remote: RemoteAttempt }> {
    const connection = this.connection(request.host);
    await this.connect(connection);
    await this.stopLeftovers(request.host);
    const mark = attemptMark(request.runId, request.step.step, request.attempt);
    const cwd = request.worktreeCwd ?? (request.step.cwd !== undefined && request.step.cwd !== '' ? request.step.cwd : request.agentCwd);
    const command = request.command;
    const script = command ? stepScript({ ...request.env, ...request.marks }, cwd, { argv: command.argv }, command.unset) : stepScript({ ...request.env, ...request.marks }, cwd, { shell: String(request.inputs.command ?? '') });
    const display = `${request.host}: ${command ? command.display : String(request.inputs.command ?? '')}`;
    const remote = new RemoteAttempt(
      connection,
      {
        hostName: request.host,
        mark,
        title: request.title,
        display,
        owner: { runId: request.runId, step: request.step.step, attempt: request.attempt },
        script,
        localCwd: request.localCwd,
        localEnv: request.localEnv,
        localMarks: request.marks,
        outputFilter: request.outputFilter,
      },
      {
        started: (started) => {
          this.live.add(started);
          this.options.repo.addAttempt({ mark: started, host: request.host, owner: this.owner, runId: request.runId, step: request.step.step, attempt: request.attempt, startedAt: new Date().toISOString() });
        },
        stopped: (stopped) => this.forget(stopped),
        running: (terminalId) => this.metrics.track(terminalId, request.host, mark, connection),
        ended: (terminalId) => this.metrics.untrack(terminalId),
      },
    );
    return { remote };
  }

  /**
   * Stops what ended or interrupted attempts left on a host (or on every host): the marks of remote
   * attempts not confirmed stopped, kept across engine restarts; never those of an attempt still
   * running here or under another live engine. A host that does not answer keeps its marks for the
   * next time; for one host (before a step starts there) that is an error, so nothing starts beside them.
   */
  async stopLeftovers(host?: string, graceMs = 1000): Promise<void> {
    const byHost = new Map<string, string[]>();
    for (const row of this.options.repo.attempts(host)) {
      const leftover = row.owner === this.owner ? !this.live.has(row.mark) : !identityAlive(row.owner);
      if (leftover) byHost.set(row.host, [...(byHost.get(row.host) ?? []), row.mark]);
    }
    await Promise.all(
      [...byHost].map(async ([name, marks]) => {
        if (!this.options.repo.get(name)) return;
        const connection = this.connection(name);
        for (const mark of marks) {
          const stopped = await stopOnHost(connection, mark, graceMs, { stopped: (done) => this.forget(done) });
          if (!stopped && host !== undefined) {
            throw new PhotonError('unavailable', `host "${name}": could not stop what an interrupted attempt left running there; the step starts once the host answers`);
          }
        }
      }),
    );
  }

  /**
   * Connects to each host with a clone set and hands its clone to cloneReachable (an engine that
   * stays up does this when it starts). Hosts that do not answer are left for their next connection.
   */
  visitClones(): Promise<void> {
    this.visitingAll = Promise.all(
      this.options.repo.list().map(async (row) => {
        if (!this.options.cloneReachable || this.addressPath(row.name) === null) return;
        try {
          await this.connect(this.connection(row.name));
        } catch {
          // Its health says why; its next connection looks at it.
          return;
        }
        await this.visitClone(row.name);
      }),
    ).then(() => undefined);
    return this.visitingAll;
  }

  /** Closes every shared connection this engine opened, once what their clones were being looked at for is done. */
  async close(): Promise<void> {
    await this.visitingAll;
    await Promise.all(this.visits.values());
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(open.map((connection) => connection.close()));
  }

  private async connect(connection: HostConnection): Promise<void> {
    try {
      await connection.ensure();
      this.record(connection.name, { status: 'connected', latencyMs: this.options.repo.get(connection.name)?.latencyMs ?? null, lastError: null, presentedKey: null });
    } catch (error) {
      if (error instanceof HostUnavailable) this.record(connection.name, error.health);
      throw error;
    }
  }

  private connection(name: string): HostConnection {
    let connection = this.connections.get(name);
    if (!connection) {
      connection = new HostConnection(name, this.address(name), this.settings, this.options.env, () => void this.visitClone(name));
      this.connections.set(name, connection);
    }
    return connection;
  }

  /** Hands the host's clone (when it has one) to cloneReachable; a failure waits for the next connection. */
  private visitClone(name: string): Promise<void> {
    const visiting = this.visits.get(name);
    if (visiting) return visiting;
    const reachable = this.options.cloneReachable;
    if (!reachable || !this.options.repo.get(name) || this.addressPath(name) === null) return Promise.resolve();
    const visit = reachable(this.clone(name))
      .then(() => undefined)
      // Never a step's failure: what is still there is found again on the host's next connection.
      .catch(() => undefined)
      .finally(() => this.visits.delete(name));
    this.visits.set(name, visit);
    return visit;
  }

  private addressPath(name: string): string | null {
    const parsed = parseHostAddress(this.require(name).address);
    return typeof parsed === 'string' ? null : parsed.path;
  }

  private address(name: string): HostAddress {
    const parsed = parseHostAddress(this.require(name).address);
    if (typeof parsed === 'string') throw new PhotonError('invalid', `host "${name}": ${parsed}`);
    return parsed;
  }

  private require(name: string, place?: string): HostRow {
    const row = this.options.repo.get(name);
    if (!row) {
      const known = this.options.repo.list().map((host) => host.name);
      throw new PhotonError('not_found', `${place ? `${place}: ` : ''}no host named "${name}"; add it with: photon hosts add ${name} ssh://user@host${known.length ? ` (known: ${known.join(', ')})` : ''}`);
    }
    return row;
  }

  private forget(mark: string): void {
    this.live.delete(mark);
    this.options.repo.removeAttempt(mark);
  }

  private record(name: string, health: Health): void {
    if (this.options.repo.get(name)) this.options.repo.setHealth(name, { ...health, checkedAt: new Date().toISOString() });
  }
}

function toInfo(row: HostRow): HostInfo {
  const { name, address, status, latencyMs, lastError, presentedKey, checkedAt, createdAt } = row;
  const parsed = parseHostAddress(address);
  const split = typeof parsed === 'string' ? { address, repoPath: null } : { address: formatHostAddress(parsed, false), repoPath: parsed.path };
  return { name, ...split, status, latencyMs, lastError, presentedKey, checkedAt, createdAt };
}

function checkedRepoPath(name: string, path: string): string {
  const problem = repoPathProblem(path.trim());
  if (problem) throw new PhotonError('invalid', `host "${name}": ${problem}`);
  return path.trim().replace(/(.)\/+$/, '$1');
}

function noClone(name: string): string {
  return `host "${name}" has no clone of the repository set, so a step with a workspace cannot get its worktree there; clone the repository on the host, then: photon hosts set ${name} --repo-path PATH (or Settings → Remote hosts)`;
}
