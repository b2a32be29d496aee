import { realpathSync } from 'node:fs';

/**
 * Whether a path is the folder or inside it, comparing real paths (a temporary folder may be
 * reached through a link): what keeps removal to Photon's own folders.
 */
export function inside(path: string, folder: string): boolean {
  const [a, b] = [real(path), real(folder)];
  return a === b || a.startsWith(b.endsWith('/') ? b : `${b}/`);
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
