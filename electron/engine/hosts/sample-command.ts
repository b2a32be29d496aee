/**
 * The remote sampler's one command and the reading of its answer. It runs as POSIX sh on the host
 * and reads only /proc: the host's clock (uptime, ticks per second, page size), then, for every
 * process whose environment holds one of the marks, its stat line (state, CPU ticks, start) and
 * its statm (resident pages). One grep reads every environ, as the stopper's does.
 */
import { quote } from './remote-script.js';

export interface HostProcess {
  mark: string;
  pid: number;
  /** utime + stime, in the host's clock ticks. */
  cpuTicks: number;
  /** When it started, in ticks since the host booted. */
  startTicks: number;
  rssPages: number;
}

export interface HostSample {
  uptimeTicks: number;
  ticksPerSecond: number;
  pageSize: number;
  processes: HostProcess[];
}

const script = [
  'cd /proc || exit 3',
  'read -r up idle < uptime || exit 3',
  'echo "clock $up $(getconf CLK_TCK) $(getconf PAGESIZE)"',
  'm=""; for a in "$@"; do m="$m -e PHOTON_HOST_MARK=$a"; done',
  // $m unquoted on purpose: marks are letters, digits and dashes (attemptMark), split into -e pairs.
  'grep -H -a -o -z -x -F $m [0-9]*/environ 2>/dev/null | tr "\\000" "\\n" | while IFS=: read -r f v; do',
  '  p=${f%/environ}; st=""; sm=""',
  '  read -r st 2>/dev/null < "$p/stat" || continue',
  '  read -r sm 2>/dev/null < "$p/statm" || continue',
  '  echo "proc ${v#PHOTON_HOST_MARK=} $p ${st##*) } | $sm"',
  'done',
  'exit 0',
].join('\n');

/** The command that samples the processes of these attempts' marks on their host. */
export function sampleCommand(marks: readonly string[]): string {
  for (const mark of marks) if (!/^[A-Za-z0-9-]+$/.test(mark)) throw new Error(`attempt mark "${mark}" has characters other than letters, digits and dashes`);
  return `exec /bin/sh -c ${quote(script)} photon-sample ${marks.join(' ')}`;
}

/** The command's output read; null when it is not what the command prints (no /proc, a cut answer). */
export function parseSample(stdout: string): HostSample | null {
  const lines = stdout.split('\n');
  const clock = lines.find((line) => line.startsWith('clock '))?.split(' ');
  if (!clock || clock.length < 4) return null;
  const uptime = Number(clock[1]);
  const ticksPerSecond = Number(clock[2]);
  const pageSize = Number(clock[3]);
  if (!(uptime > 0) || !(ticksPerSecond > 0) || !(pageSize > 0)) return null;
  const processes: HostProcess[] = [];
  for (const line of lines) {
    if (!line.startsWith('proc ')) continue;
    const [head = '', statm = ''] = line.split(' | ');
    const [, mark = '', pid = '', ...stat] = head.split(' ');
    // stat after the command's name: state is field 3 of /proc/PID/stat, utime 14, stime 15, starttime 22.
    if (stat[0] === 'Z' || stat.length < 20) continue;
    const cpuTicks = Number(stat[11]) + Number(stat[12]);
    const startTicks = Number(stat[19]);
    const rssPages = Number(statm.split(' ')[1]);
    if (![cpuTicks, startTicks, rssPages].every(Number.isFinite)) continue;
    processes.push({ mark, pid: Number(pid), cpuTicks, startTicks, rssPages });
  }
  return { uptimeTicks: uptime * ticksPerSecond, ticksPerSecond, pageSize, processes };
}
