/**
 * The built renderer (out/renderer) served as files: Vite's hashed assets cached for good,
 * index.html never, unknown app paths answered with index.html so client routes survive a reload,
 * and nothing outside the folder reachable whatever the path says.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { rendererContentTypes } from '../../../shared/renderer-files.js';
import { sendPage } from './responses.js';

export const notBuiltMessage = "Photon's interface has not been built yet. Run `npm run build` (or `npm run web`, which builds and starts the server), then reload this page.";

export interface StaticFiles {
  /** Answers a GET or HEAD for `pathname` (still percent-encoded, as in the request). */
  serve(response: ServerResponse, pathname: string, head: boolean): Promise<void>;
}

export function createStaticFiles(staticDir: string): StaticFiles {
  const root = resolve(staticDir);

  const sendFile = async (response: ServerResponse, path: string, head: boolean, immutable: boolean): Promise<void> => {
    const info = await stat(path);
    response.writeHead(200, {
      'Content-Type': rendererContentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': info.size,
      // Hashed names change with their content; everything else is checked again on every load.
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'Last-Modified': info.mtime.toUTCString(),
    });
    if (head) {
      response.end();
      return;
    }
    await new Promise<void>((done) => {
      const stream = createReadStream(path);
      stream.on('error', () => {
        response.destroy();
        done();
      });
      response.on('close', () => {
        stream.destroy();
        done();
      });
      stream.pipe(response);
    });
  };

  const sendIndex = async (response: ServerResponse, head: boolean): Promise<void> => {
    const index = resolve(root, 'index.html');
    if (!(await isFileInside(index, root))) {
      sendPage(response, 500, 'Photon is not built', notBuiltMessage, head);
      return;
    }
    await sendFile(response, index, head, false);
  };

  return {
    async serve(response, pathname, head) {
      const relative = safeRelativePath(pathname);
      if (relative === undefined) {
        sendPage(response, 404, 'Not found', 'There is no such file.', head);
        return;
      }
      if (relative === '' || relative === 'index.html') {
        await sendIndex(response, head);
        return;
      }
      const file = resolve(root, relative);
      if (await isFileInside(file, root)) {
        await sendFile(response, file, head, relative.startsWith('assets/'));
        return;
      }
      // A path with an extension names a file that is not there; anything else is a client route.
      if (extname(relative) !== '') {
        sendPage(response, 404, 'Not found', 'There is no such file.', head);
        return;
      }
      await sendIndex(response, head);
    },
  };
}

/**
 * The request path as a path inside the folder, or undefined when it tries to leave it or names a
 * hidden file. Decoding happens once, here, so `%2e%2e` and `%2f` are judged like what they mean.
 */
export function safeRelativePath(pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.') || segment.includes(':'))) return undefined;
  return segments.join('/');
}

/** A regular file whose real location (symlinks followed) is inside the root. */
async function isFileInside(path: string, root: string): Promise<boolean> {
  try {
    const [real, realRoot] = await Promise.all([realpath(path), realpath(root)]);
    if (!real.startsWith(realRoot + sep)) return false;
    return (await stat(real)).isFile();
  } catch {
    return false;
  }
}
