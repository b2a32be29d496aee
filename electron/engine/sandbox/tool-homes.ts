/**
 * Where each AI tool keeps its own state: its login, settings and session history, which it reads
 * and writes on every run (Claude Code its sessions under ~/.claude/projects, Codex its rollouts
 * under $CODEX_HOME/sessions, Gemini CLI its chats under ~/.gemini/tmp). A sandboxed step keeps
 * its tool's folders writable so the tool runs and a session can be resumed later; every other
 * folder of the home stays out of reach. Shell steps get none.
 */
import { join } from 'node:path';

/** The tool's state folders, given the process's final environment and the user's home. */
export function toolStateFolders(platform: string, env: Readonly<Record<string, string>>, home: string): string[] {
  switch (platform) {
    case 'claude-code':
    case 'zai':
      return [env.CLAUDE_CONFIG_DIR || join(home, '.claude')];
    case 'codex':
      return [env.CODEX_HOME || join(home, '.codex')];
    case 'gemini':
      // GEMINI_CLI_HOME may point into the attempt's own folder (a custom endpoint), whose entries link the user's.
      return [...new Set([join(env.GEMINI_CLI_HOME || home, '.gemini'), join(home, '.gemini')])];
    case 'agy':
      return [join(home, '.gemini'), join(home, '.antigravity')];
    case 'cursor':
      return [join(home, '.cursor'), join(home, '.config', 'cursor')];
    case 'aider':
      return [join(home, '.aider')];
    default:
      return [];
  }
}

/**
 * Files at the top of the home that the tools and git read, copied into the sandbox's private
 * home: Claude Code rewrites ~/.claude.json by renaming a new copy over it, which a file bound in
 * from outside would refuse (a mount point cannot be renamed over). Changes to the copies end with
 * the attempt.
 */
export const copiedHomeFiles = ['.gitconfig', '.claude.json', '.aider.conf.yml'] as const;
