/**
 * Remote access settings live in DATA_DIR/remote-access.json, beside the database: a handful of
 * fields read at start and written whole (temporary file, then rename) when the user saves, so a
 * crash mid-write leaves the old settings, never half of new ones. A file that cannot be read is
 * left as it is for the user to see, and remote access stays off until the settings are saved.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRemoteAccessSettings, remoteAccessSettingsSchema, type RemoteAccessSettings } from '../../../shared/remote-access.js';
import { privateFileMode } from '../paths/index.js';

export const settingsFileName = 'remote-access.json';

export type LoadedSettings = { ok: true; settings: RemoteAccessSettings } | { ok: false; settings: RemoteAccessSettings; problem: string };

export function loadSettings(dataDir: string): LoadedSettings {
  const file = join(dataDir, settingsFileName);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, settings: defaultRemoteAccessSettings };
    return damaged(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return damaged(file, `is not JSON (${(error as Error).message})`);
  }
  const parsed = remoteAccessSettingsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return damaged(file, `has ${issue.path.join('.') || 'its contents'} wrong: ${issue.message}`);
  }
  return { ok: true, settings: parsed.data };
}

export function saveSettings(dataDir: string, settings: RemoteAccessSettings): void {
  const file = join(dataDir, settingsFileName);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(settings, null, 2)}\n`, { mode: privateFileMode });
  renameSync(`${file}.tmp`, file);
}

function damaged(file: string, why: string): LoadedSettings {
  return {
    ok: false,
    settings: { ...defaultRemoteAccessSettings },
    problem: `${file} ${why}; remote access stays off until its settings are saved again (saving replaces the file)`,
  };
}
