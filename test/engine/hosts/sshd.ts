/**
 * A real OpenSSH server for the hosts tests: `/usr/sbin/sshd` (Debian's openssh-server) on
 * 127.0.0.1 at a free port, with its own host key, a user key made for the test and a config file
 * of its own, run as the current user (root in CI, hence PermitRootLogin) without PAM. The client
 * side gets an ssh config file (`-F`) naming the test's key, as a user's ~/.ssh/config would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';

export const sshdPath = '/usr/sbin/sshd';
export const sshdAvailable = existsSync(sshdPath) && spawnSync('sh', ['-c', 'command -v ssh && command -v ssh-keyscan'], { stdio: 'ignore' }).status === 0;

// CI installs openssh-server and sets PHOTON_REQUIRE_SSHD=1: there a missing sshd fails the hosts
// tests instead of skipping them.
if (!sshdAvailable && process.env.PHOTON_REQUIRE_SSHD === '1') {
  throw new Error(`PHOTON_REQUIRE_SSHD=1 but ${sshdPath}, ssh or ssh-keyscan is missing: apt install openssh-server openssh-client`);
}

export interface TestSshd {
  port: number;
  user: string;
  /** `ssh://user@127.0.0.1:port`, as `photon hosts add` takes it. */
  url: string;
  /** The client's ssh config (identity file), for the engine's `hosts.sshConfig`. */
  clientConfig: string;
  hostKeyFingerprint: string;
  /** Kills the connection-serving sshd children (not the listener): every live connection drops. */
  dropConnections(): void;
  /** The server reinstalled: a new host key on the same port. Returns its fingerprint. */
  replaceHostKey(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * `path`: the PATH sessions get, so a test can put its own programs on the host; `env`: other
 * variables sessions get (both through sshd's SetEnv).
 */
export async function startSshd(dir: string, options: { path?: string; env?: Record<string, string> } = {}): Promise<TestSshd> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const hostKey = join(dir, 'host_ed25519');
  const userKey = join(dir, 'user_ed25519');
  keygen(hostKey);
  keygen(userKey);
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, readFileSync(`${userKey}.pub`), { mode: 0o600 });
  const user = userInfo().username;
  // The sessions' home is the test's own: sshd's shell (bash) reads ~/.bashrc before every remote
  // command, and the test runner's own one may cost seconds (this machine's runs `pyenv init`,
  // whose rehash waits on a lock every other shell takes too) on every ssh session of every test.
  // Its .bashrc speaks in a terminal, as many do: a step's output must not show it.
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  writeFileSync(join(home, '.bashrc'), '[ -t 2 ] && echo "the test host\'s .bashrc speaks" >&2\n');
  const config = join(dir, 'sshd_config');
  const pidFile = join(dir, 'sshd.pid');
  const writeConfig = (port: number) =>
    writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        `PidFile ${pidFile}`,
        `AuthorizedKeysFile ${authorized}`,
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        // CI runs as root; the test's own server only ever admits the test's own key.
        'PermitRootLogin prohibit-password',
        // The temporary folder's owners and modes are the test runner's, not a home's.
        'StrictModes no',
        'PermitUserEnvironment no',
        'AcceptEnv PHOTON_NOTHING',
        'MaxSessions 50',
        'MaxStartups 50',
        'LogLevel ERROR',
        // One line: sshd takes only the first SetEnv it reads.
        `SetEnv ${[`HOME=${home}`, ...(options.path ? [`PATH=${options.path}`] : []), ...Object.entries(options.env ?? {}).map(([name, value]) => `${name}=${value}`)].join(' ')}`,
        '',
      ].join('\n'),
    );
  // As root, sshd insists on its privilege-separation folder.
  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  // The port is free when asked, not when sshd binds it: another test's listener may take it
  // first (sshd then exits, 'Address already in use'). A new one is asked for then.
  let port = 0;
  const listenAtAFreePort = async (): Promise<ChildProcess> => {
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      writeConfig(port);
      const listening = await listen(config, pidFile, attempt < 5);
      if (listening) return listening;
    }
  };
  let server = await listenAtAFreePort();

  const clientConfig = join(dir, 'ssh_config');
  writeFileSync(clientConfig, [`Host *`, `  IdentityFile ${userKey}`, '  IdentitiesOnly yes', '  IdentityAgent none', '  BatchMode yes', ''].join('\n'));
  const fingerprintOf = () => spawnSync('ssh-keygen', ['-lf', `${hostKey}.pub`], { encoding: 'utf8' }).stdout.split(' ')[1]!;
  const dropConnections = () => {
    // The listener's children serve the connections; killing them drops every connection at once.
    const children = spawnSync('pgrep', ['-P', String(server.pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    for (const child of children) signal(Number(child));
  };
  /** Everything of the test's: the server, its connections, and the clients that used its config (shared connections persist). */
  const stop = async () => {
    dropConnections();
    const clients = spawnSync('pgrep', ['-f', '--', `-F ${clientConfig}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    for (const client of clients) signal(Number(client));
    if (server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  };
  return {
    port,
    user,
    url: `ssh://${user}@127.0.0.1:${port}`,
    clientConfig,
    hostKeyFingerprint: fingerprintOf(),
    dropConnections,
    replaceHostKey: async () => {
      await stop();
      rmSync(hostKey, { force: true });
      rmSync(`${hostKey}.pub`, { force: true });
      keygen(hostKey);
      server = (await listen(config, pidFile, false))!;
      return fingerprintOf();
    },
    stop,
  };
}

/**
 * sshd writes its pid file once it listens: a connection to the port could reach another
 * program's listener that took it first, while sshd is still on its way out. Undefined when the
 * port was taken and `another` allows asking for a new one.
 */
async function listen(config: string, pidFile: string, another: boolean): Promise<ChildProcess | undefined> {
  rmSync(pidFile, { force: true });
  const server = spawn(sshdPath, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const listening = () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() === String(server.pid);
  for (let i = 0; i < 400 && !listening(); i++) {
    if (server.exitCode !== null) {
      // Its stderr may still be on the way.
      await exited;
      if (another && /Address already in use/.test(log)) return undefined;
      throw new Error(`sshd exited: ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!listening()) throw new Error(`sshd did not write ${pidFile} in 20 s: ${log}`);
  return server;
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

function keygen(path: string): void {
  const made = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'photon-test', '-f', path], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`ssh-keygen failed: ${made.stderr}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
