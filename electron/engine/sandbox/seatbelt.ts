/**
 * A fence plan as a sandbox-exec (Seatbelt) profile, for macOS. Seatbelt has no mount namespace:
 * nothing can be replaced by an empty folder, so the plan's hidden roots become read denials and
 * its private home is not used (the home's few dotfiles are allowed to be read instead). In a
 * profile the last rule that matches decides, so the order is: everything allowed, then writes and
 * the hidden roots denied, then the plan's folders allowed again, then secrets and the keychain
 * denied whatever came before. The keychain on macOS is reached over Mach (securityd), not files
 * alone, so its services are denied by name. Generated and checked as text here; it runs on macOS.
 */
import { join } from 'node:path';
import type { FencePlan } from './plan.js';
import { copiedHomeFiles } from './tool-homes.js';

/** The Mach services through which a process reads or unlocks keychain items. */
const keychainServices = ['com.apple.SecurityServer', 'com.apple.securityd', 'com.apple.securityd.xpc', 'com.apple.security.agent', 'com.apple.security.keychain-circle-notification'];

/** Devices every process writes to (its terminal, /dev/null); denying writes must leave these. */
const writableDevices = ['(literal "/dev/null")', '(literal "/dev/zero")', '(literal "/dev/tty")', '(regex #"^/dev/ttys[0-9]+$")', '(literal "/dev/dtracehelper")'];

export function seatbeltProfile(plan: FencePlan): string {
  const subpaths = (paths: readonly string[]) => paths.map((path) => `(subpath ${quote(path)})`).join(' ');
  const homeFiles = copiedHomeFiles.map((name) => `(literal ${quote(join(plan.home, name))})`).join(' ');
  const writable = [...plan.writable, ...plan.scratch];
  const rules = [
    '(version 1)',
    '(allow default)',
    '(deny file-write*)',
    plan.hidden.length > 0 && `(deny file-read* ${subpaths(plan.hidden)})`,
    `(allow file-write* ${writableDevices.join(' ')})`,
    plan.readable.length > 0 && `(allow file-read* ${subpaths(plan.readable)})`,
    `(allow file-read* ${homeFiles})`,
    // Claude Code rewrites its state file by renaming a fresh copy over it.
    `(allow file-read* file-write* (regex ${regex(`^${escapeRegex(join(plan.home, '.claude.json'))}`)}))`,
    writable.length > 0 && `(allow file-read* file-write* ${subpaths(writable)})`,
    plan.secrets.length > 0 && `(deny file-read* file-write* ${subpaths(plan.secrets)})`,
    `(deny file-read* file-write* ${subpaths([join(plan.home, 'Library', 'Keychains')])})`,
    `(deny mach-lookup ${keychainServices.map((name) => `(global-name ${quote(name)})`).join(' ')})`,
    !plan.network && '(deny network*)',
  ];
  return `${rules.filter(Boolean).join('\n')}\n`;
}

/** The command line that runs `file` under the profile. */
export function seatbeltArgs(plan: FencePlan, file: string, args: readonly string[]): string[] {
  return ['-p', seatbeltProfile(plan), '--', file, ...args];
}

/** A string literal in the profile language (a Scheme dialect): backslashes and quotes escaped. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A regex as an ordinary string literal, so its own backslashes survive the string's escaping. */
function regex(pattern: string): string {
  return quote(pattern);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
