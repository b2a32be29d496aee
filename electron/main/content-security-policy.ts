/**
 * The Content-Security-Policy of the app's pages. The built app loads only its own files; styles
 * allow inline because xterm.js and React Flow set element styles at run time. With a dev server,
 * its origin and its HMR socket are allowed too, and inline scripts for React's refresh preamble.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  return formatPolicy(directives(devServerUrl));
}

function directives(devServerUrl?: string): Record<string, string[]> {
  const dev = devServerUrl ? new URL(devServerUrl) : undefined;
  const origin = dev ? [dev.origin] : [];
  const socket = dev ? [`${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}`] : [];
  return {
    'default-src': ["'none'"],
    'script-src': ["'self'", ...(dev ? ["'unsafe-inline'", ...origin] : [])],
    'style-src': ["'self'", "'unsafe-inline'", ...origin],
    'img-src': ["'self'", 'data:', ...origin],
    'font-src': ["'self'", 'data:', ...origin],
    'connect-src': ["'self'", ...origin, ...socket],
    'worker-src': ["'self'"],
    'manifest-src': ["'none'"],
    'media-src': ["'none'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'child-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
}

function formatPolicy(policy: Record<string, string[]>): string {
  return Object.entries(policy)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/**
 * The same policy as a `<meta http-equiv>` in renderer/index.html, for wherever the page is loaded
 * without the header (a copy opened from disk, any host that forgets it). Both apply where both are
 * present, so it must allow what each host needs: the browser host's WebSocket back to loopback.
 * frame-ancestors is left out: a meta policy cannot set it (the header does). The Vite dev server
 * drops the tag (withoutMetaPolicy): its inline refresh preamble is allowed by the dev header only.
 */
export function metaContentSecurityPolicy(): string {
  const { 'frame-ancestors': _headerOnly, ...policy } = directives();
  return formatPolicy({ ...policy, 'connect-src': [...policy['connect-src']!, 'ws://127.0.0.1:*', 'ws://localhost:*'] });
}

const metaPolicyTag = /^[ \t]*<meta http-equiv="Content-Security-Policy"[^>]*>\r?\n?/im;

/** index.html as the Vite dev server serves it: without the meta policy (see metaContentSecurityPolicy). */
export function withoutMetaPolicy(html: string): string {
  return html.replace(metaPolicyTag, '');
}

/** The policy of the meta tag in an HTML page, if it has one. */
export function metaPolicyOf(html: string): string | undefined {
  return /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/i.exec(html)?.[1];
}

/** Response headers with the policy set, replacing any the server sent (header names are case-insensitive). */
export function withContentSecurityPolicy(headers: Record<string, string[] | string> | undefined, policy: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    result[name] = Array.isArray(value) ? value : [value];
  }
  result['Content-Security-Policy'] = [policy];
  return result;
}
