/**
 * The files that start `photon daemon` at login (resources/daemon/): filled in as the README says,
 * the systemd unit, the launchd agent and the Windows task all run the same command, and that
 * command really starts the daemon (here with --port 0 added, so the test does not take 7420, and
 * PHOTON_DATA_DIR set, so it does not touch the user's data).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { photonBin, repoRoot, tempFolder, waitUntil } from './helpers.js';

const node = process.execPath;
const home = '/home/someone';

function filled(name: string): string {
  return readFileSync(join(repoRoot, 'resources', 'daemon', name), 'utf8').replaceAll('@NODE@', node).replaceAll('@PHOTON@', photonBin).replaceAll('@HOME@', home);
}

const xmlText = (text: string) => text.replaceAll('&quot;', '"').replaceAll('&amp;', '&');

let folder: ReturnType<typeof tempFolder> | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((done) => child!.once('close', done));
    child.kill('SIGTERM');
    await exited;
  }
  folder?.cleanup();
});

describe('start at login', () => {
  it('the systemd unit, launchd agent and Windows task run the same command', () => {
    const unit = filled('photon-daemon.service');
    const execStart = /^ExecStart=(.+)$/m.exec(unit)![1]!.split(' ');
    expect(execStart).toEqual([node, photonBin, 'daemon']);
    expect(unit).toMatch(/^WantedBy=default\.target$/m);
    expect(unit).not.toContain('@');

    const plist = filled('com.photon.daemon.plist');
    const args = /<key>ProgramArguments<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(plist)![1]!;
    expect([...args.matchAll(/<string>([^<]*)<\/string>/g)].map((m) => m[1])).toEqual(execStart);
    expect(plist).toMatch(/<key>RunAtLoad<\/key>\s*<true\/>/);
    expect(plist).toContain(`<string>${home}/Library/Logs/photon-daemon.log</string>`);

    const task = filled('photon-daemon.xml');
    const command = /<Command>([^<]*)<\/Command>/.exec(task)![1]!;
    const argumentsText = xmlText(/<Arguments>([^<]*)<\/Arguments>/.exec(task)![1]!);
    expect([command, ...argumentsText.split(' ').map((a) => a.replace(/^"(.*)"$/, '$1'))]).toEqual(execStart);
    expect(task).toContain('<LogonTrigger>');
  });

  it('that command starts the daemon, which writes its discovery file', async () => {
    folder = tempFolder();
    const [program, ...args] = /^ExecStart=(.+)$/m.exec(filled('photon-daemon.service'))![1]!.split(' ');
    const started = spawn(program!, [...args, '--port', '0'], { env: { ...process.env, PHOTON_DATA_DIR: folder.dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let stderr = '';
    started.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    await waitUntil(() => existsSync(join(folder!.dataDir, 'daemon.json')) || started.exitCode !== null, 60_000, 'the daemon\'s discovery file');
    expect(stderr).toBe('');
    expect(JSON.parse(readFileSync(join(folder.dataDir, 'daemon.json'), 'utf8'))).toMatchObject({ pid: started.pid, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
  });
});
