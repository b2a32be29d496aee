/**
 * The Content-Security-Policy of the app's pages. The built app loads only its own files; styles
 * allow inline because xterm.js and React Flow set element styles at run time. With a dev server,
 * its origin and its HMR socket are allowed too, and inline scripts for React's refresh preamble.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl ? new URL(devServerUrl) : undefined;
  const origin = dev ? [dev.origin] : [];
  const socket = dev ? [`${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}`] : [];
  const directives: Record<string, string[]> = {
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
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
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
