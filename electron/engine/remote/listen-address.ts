/**
 * Which addresses remote access may listen on, checked before anything binds: loopback, a
 * wildcard (0.0.0.0, ::) or an address this machine holds. A mistyped address is refused naming
 * this machine's own, instead of the bare EADDRNOTAVAIL a bind would give.
 */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || (isIP(address) === 4 && address.startsWith('127.'));
}

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** This machine's interface addresses, IPv4 first. */
export function machineAddresses(): string[] {
  const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  return [...all.filter((entry) => entry.family === 'IPv4'), ...all.filter((entry) => entry.family !== 'IPv4')].map((entry) => entry.address);
}

/** Why `address` cannot be listened on, or undefined when it can. */
export function listenAddressProblem(address: string): string | undefined {
  if (address === 'localhost' || isWildcard(address) || isLoopback(address)) return undefined;
  if (isIP(address) === 0) return `"${address}" is not an IP address; give one of this machine's (${machineAddresses().join(', ')}), 0.0.0.0 for all of them, or 127.0.0.1`;
  if (!machineAddresses().includes(address)) return `${address} is not an address of this machine; its addresses are ${machineAddresses().join(', ')} (or 0.0.0.0 for all of them)`;
  return undefined;
}

/** Why plain HTTP is refused beyond loopback, for the settings' TLS choice. */
export function plainHttpProblem(address: string): string {
  return (
    `refusing plain HTTP on ${address}: beyond loopback anyone on the network could read every request, keys included. ` +
    `Choose Photon's certificate (its fingerprint is shown for pinning) or your own certificate and key, or listen on 127.0.0.1`
  );
}
