/**
 * Where `photon serve` listens and what it answers to. Loopback by default; any other address only
 * with TLS (see startWebServer). A wildcard (0.0.0.0, ::) answers to every address of this machine.
 */
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';

export const loopbackAddress = '127.0.0.1';

export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || (isIP(address) === 4 && address.startsWith('127.'));
}

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** The IP addresses a listener on `address` can be reached at (a wildcard: every interface's). */
export function reachableAddresses(address: string): string[] {
  if (!isWildcard(address)) return [address];
  const found = new Set<string>();
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) {
      // A link-local IPv6 address needs its zone to be reached; it cannot be named in a Host header.
      if (entry.family === 'IPv6' && (address === '0.0.0.0' || entry.address.startsWith('fe80'))) continue;
      found.add(entry.address);
    }
  }
  return [...found];
}

/** How an address appears in a Host header or a URL: IPv6 in brackets. */
export function hostPart(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

/** Every name a request may carry in `Host` (without the port): the addresses, and the machine's names. */
export function hostNames(address: string): string[] {
  const machine = hostname().toLowerCase();
  return [...new Set([...reachableAddresses(address).map(hostPart), machine, `${machine}.local`])];
}

/** Checks the text of --listen: an IP address of this machine, a wildcard, or localhost. */
export function checkListenAddress(address: string): string | undefined {
  if (address === 'localhost' || isIP(address) !== 0) return undefined;
  return `--listen ${address}: give an IP address of this machine (e.g. 192.168.1.20), 0.0.0.0 for all of them, or 127.0.0.1`;
}
