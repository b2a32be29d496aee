/**
 * What runs on the host, as POSIX sh, so any host with sshd and a shell can take a step.
 *
 * A step's command line on the host is only the fixed preamble below and the attempt's mark; its
 * environment (secrets included), folder and command arrive afterwards through the ssh channel, on
 * the remote terminal's input: the preamble turns echo off, says it is ready, reads the announced
 * number of lines with the shell's own `read` and evaluates them. So a secret is never on a command line (visible
 * in `ps` to every user of the host) and never in a file there; it lives only in the memory of the
 * shell and then in the environment of the step's process, as locally. SendEnv was the other way,
 * but it needs the server's AcceptEnv for each name, which most servers refuse (Debian accepts
 * only LANG and LC_*).
 *
 * Every process of the attempt carries PHOTON_HOST_MARK in its environment, from the preamble's
 * shell on; on Linux hosts the stopper finds them by it in /proc, including processes that left
 * the session (`setsid`, daemons). The session leader's pid (the pty's session, which sshd
 * created) is kept in the attempt's private temp folder for hosts without /proc.
 */

/** Printed by the preamble once echo is off and it waits for the environment. */
export const readyMarker = '\u001b]7772;photon-ready\u0007';
/**
 * Printed by the preamble when the command ended: `...;photon-exit;CODE;SWEPT` then BEL, SWEPT 1
 * when nothing the command started is left running on the host.
 */
export const exitMarkerPrefix = '\u001b]7772;photon-exit;';

/** An attempt's mark: only letters, digits and dashes, so it is safe on any command line. */
export function attemptMark(runId: string, step: number, attempt: number): string {
  return `${runId}-${step}-${attempt}`.replace(/[^A-Za-z0-9-]/g, '-');
}

/** Tenths of a second that what a step left gets between TERM and KILL once the step ended by itself. */
const afterExitGraceTenths = 5;

const attemptFolder = '"${TMPDIR:-/tmp}/photon-attempt-$PHOTON_HOST_MARK"';

/**
 * `stop MARK GRACE_TENTHS [SPARE_PID [FOLDER]]`: every live process whose environment holds the
 * mark but the one to spare (the preamble's own shell when it sweeps after its command, with its
 * subshells) gets HUP, TERM and CONT, the grace, then KILL; then the attempt's folder goes. Zombies have no environment
 * and are skipped. Without /proc only the session's leader is known (its pid file): the closing
 * session's hang-up reaches its group. One grep reads all of /proc, so a sweep that finds nothing
 * costs two processes. Prints `photon-stopped` when nothing is left.
 */
const stopFunctions = [
  'marked() {',
  '  if [ -d /proc/self ]; then',
  '    for f in $(grep -l -z -x -F -e "PHOTON_HOST_MARK=$mark" /proc/[0-9]*/environ 2>/dev/null); do',
  '      p=${f#/proc/}; p=${p%/environ}',
  '      [ "$p" = "$spare" ] && continue',
  // The sweeping shell's own subshells (each `$(marked)`) are copies of it, mark included: spared too.
  '      st=""; read -r st 2>/dev/null < "/proc/$p/stat"; st=${st##*) }; set -- $st',
  '      [ "${2:-}" = "$spare" ] && continue',
  '      echo "$p"',
  '    done',
  '  elif [ -f "$folder/pid" ]; then',
  '    read -r p < "$folder/pid"; [ "$p" != "$spare" ] && kill -0 "$p" 2>/dev/null && echo "$p"',
  '  fi',
  '}',
  'signal() { for p in $left; do kill -"$1" "$p" 2>/dev/null; done; }',
  'stop() {',
  '  mark=$1; grace=$2; spare=${3:-none}; folder=${4:-"${TMPDIR:-/tmp}/photon-attempt-$1"}',
  '  left=$(marked)',
  '  if [ -n "$left" ]; then',
  '    signal HUP; signal TERM; signal CONT',
  '    i=0',
  '    while left=$(marked); [ -n "$left" ] && [ "$i" -lt "$grace" ]; do sleep 0.1 2>/dev/null || sleep 1; i=$((i+1)); done',
  '    signal KILL',
  '    i=0',
  '    while left=$(marked); [ -n "$left" ] && [ "$i" -lt 50 ]; do sleep 0.1 2>/dev/null || sleep 1; signal KILL; i=$((i+1)); done',
  '  fi',
  '  rm -rf "$folder"',
  '  if [ -n "$left" ]; then echo "photon-stop: still running: $left"; return 1; fi',
  '  echo photon-stopped',
  '}',
].join('\n');

const preamble = [
  stopFunctions,
  'umask 077',
  `d=${attemptFolder}`,
  'mkdir "$d" || { echo "photon: cannot make $d on this host (disk full?)"; exit 125; }',
  'echo $$ > "$d/pid"',
  'saved=$(stty -g)',
  'stty raw -echo',
  `printf '\\033]7772;photon-ready\\007'`,
  // Line by line with the shell's own read: no process is started to take the script in.
  'IFS= read -r n',
  's=""; while [ "$n" -gt 0 ]; do IFS= read -r l; s="$s$l',
  '"; n=$((n-1)); done',
  'stty "$saved"',
  'TMPDIR=$d; export TMPDIR',
  // The login shell's `exec` lowered SHLVL to 0, and a bash at level 1 that finds SSH_CLIENT reads
  // ~/.bashrc as if sshd had started it: the step's `$SHELL -c` would run the user's rc a second
  // time (its cost, e.g. pyenv's seconds, and its words in the step's output). As a local step's
  // shell, it is a nested one.
  'SHLVL=$((${SHLVL:-0}+1)); export SHLVL',
  'eval "$s"',
  'unset s saved n l',
  '"$@"',
  'c=$?',
  // What the command left (in its session or out of it) is stopped here, on the host, before the
  // exit is reported: no second connection when a step ends by itself. The mark leaves this
  // shell's exported variables first, so the sweep's own grep does not carry it; the shell itself
  // still does (its environment was set at its start) and is spared.
  'm=$PHOTON_HOST_MARK; unset PHOTON_HOST_MARK',
  `stop "$m" ${afterExitGraceTenths} $$ "$d" >/dev/null 2>&1 && k=1 || k=0`,
  `printf '\\033]7772;photon-exit;%d;%d\\007' "$c" "$k"`,
  'exit "$c"',
].join('\n');

/** The remote command of a step's ssh: the user's login shell runs it, whatever shell that is. */
export function stepCommand(mark: string): string {
  return `exec env PHOTON_HOST_MARK=${mark} /bin/sh -c ${quote(preamble)} photon-step`;
}

/** What the preamble evaluates: the variables, the folder (the home when null) and the command. */
export function stepScript(env: Readonly<Record<string, string>>, cwd: string | null, command: { shell: string } | { argv: readonly string[] }, unset: readonly string[] = []): string {
  // Variables the tool must not see from the host's own environment (a key for another provider).
  const lines = unset.filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)).map((name) => `unset ${name}`);
  lines.push(...Object.entries(env).map(([name, value]) => `${name}=${quote(value)}; export ${name}`));
  lines.push(cwd ? `cd ${quote(cwd)} || { echo ${quote(`photon: no folder ${cwd} on this host; fix the step's cwd`)}; exit 125; }` : 'cd || exit 125');
  if ('shell' in command) lines.push(`set -- "\${SHELL:-/bin/sh}" -c ${quote(command.shell)}`);
  else lines.push(`set -- ${command.argv.map(quote).join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/** The bytes sent on the remote terminal's input: the script's number of lines, then the script (ending in a newline). */
export function stepInput(script: string): string {
  const text = script.endsWith('\n') ? script : `${script}\n`;
  return `${text.split('\n').length - 1}\n${text}`;
}



/**
 * Stops every process of an attempt on its host: HUP, TERM and CONT, `graceMs`, then KILL; then
 * removes its temp folder. Prints `photon-stopped` when nothing carrying the mark is left.
 */
export function stopCommand(mark: string, graceMs: number): string {
  return `exec /bin/sh -c ${quote(`${stopFunctions}\nstop "$1" "$2"`)} photon-stop ${mark} ${Math.max(1, Math.ceil(graceMs / 100))}`;
}

/** Single-quoted for sh: safe for any bytes but NUL. */
export function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
