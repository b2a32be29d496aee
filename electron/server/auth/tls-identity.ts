/**
 * The certificate `photon serve --listen` presents beyond loopback: the user's own (`--tls-cert`,
 * `--tls-key`), or one Photon makes once and keeps in DATA_DIR/tls, so its SHA-256 fingerprint —
 * what a phone or a script pins — stays the same across restarts. A kept certificate is made again
 * only when it nears its end or no longer names the address being listened on.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface TlsIdentity {
  cert: string;
  key: string;
  /** SHA-256 of the certificate, as colon-separated hex: what a client pins. */
  fingerprint256: string;
  /** Where it came from: the user's files, or the folder Photon keeps its own in. */
  source: { kind: 'user'; certFile: string; keyFile: string } | { kind: 'generated'; dir: string };
  validTo: string;
}

/** Remade this long before it expires, so a pinned fingerprint never fails mid-use without warning. */
const renewBeforeMs = 30 * 86_400_000;
const lifetimeDays = 397;

/** A refusal of the user's certificate or key, saying which of the two files is at fault. */
export class TlsFileError extends Error {
  constructor(
    readonly file: 'cert' | 'key',
    message: string,
  ) {
    super(message);
    this.name = 'TlsFileError';
  }
}

/**
 * The user's certificate and key, checked to belong together, or a TlsFileError naming the file
 * and the fix. `labels` are how the files are named in it: the flags of `photon serve` by default.
 */
export function loadUserIdentity(certFile: string, keyFile: string, labels = { cert: '--tls-cert', key: '--tls-key' }): TlsIdentity {
  const read = (file: string, what: string, which: 'cert' | 'key') => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new TlsFileError(which, `${labels[which]} ${file}: cannot read the ${what} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  };
  const cert = read(certFile, 'certificate', 'cert');
  const key = read(keyFile, 'private key', 'key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new TlsFileError('cert', `${labels.cert} ${certFile}: not a PEM certificate (expected -----BEGIN CERTIFICATE-----)`);
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new TlsFileError('key', `${labels.key} ${keyFile}: not a PEM private key (an unencrypted PKCS#8, PKCS#1 or SEC1 key)`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw new TlsFileError('key', `${labels.key} ${keyFile} is not the key of the certificate in ${certFile}`);
  if (Date.parse(x509.validTo) <= Date.now()) throw new TlsFileError('cert', `${labels.cert} ${certFile} expired on ${x509.validTo}; renew it`);
  return { cert, key, fingerprint256: x509.fingerprint256, source: { kind: 'user', certFile, keyFile }, validTo: x509.validTo };
}

/**
 * Photon's own certificate for these addresses and names, made (EC P-256, SHA-256, 397 days) when
 * there is none, it nears its end, or it does not name them all.
 */
export async function loadOrMakeIdentity(dataDir: string, addresses: readonly string[], names: readonly string[] = []): Promise<TlsIdentity> {
  const dir = join(dataDir, 'tls');
  const certFile = join(dir, 'photon-cert.pem');
  const keyFile = join(dir, 'photon-key.pem');
  const dnsNames = [...new Set(['localhost', hostname(), ...names])];
  if (existsSync(certFile) && existsSync(keyFile)) {
    const kept = keptIdentity(certFile, keyFile, dir);
    if (kept && names.every((n) => kept.x509.checkHost(n) !== undefined) && addresses.every((a) => kept.x509.checkIP(a) !== undefined)) return kept.identity;
  }
  const { generate } = await import('selfsigned');
  const notAfter = new Date(Date.now() + lifetimeDays * 86_400_000);
  const made = await generate([{ name: 'commonName', value: `Photon on ${hostname()}` }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...dnsNames.map((value) => ({ type: 2 as const, value })), ...[...new Set(['127.0.0.1', '::1', ...addresses])].map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The key is written private before it holds anything, and both land whole (rename).
  writeFileSync(`${keyFile}.tmp`, made.private, { mode: 0o600 });
  chmodSync(`${keyFile}.tmp`, 0o600);
  writeFileSync(`${certFile}.tmp`, made.cert, { mode: 0o644 });
  renameSync(`${keyFile}.tmp`, keyFile);
  renameSync(`${certFile}.tmp`, certFile);
  const x509 = new X509Certificate(made.cert);
  return { cert: made.cert, key: made.private, fingerprint256: x509.fingerprint256, source: { kind: 'generated', dir }, validTo: x509.validTo };
}

function keptIdentity(certFile: string, keyFile: string, dir: string): { identity: TlsIdentity; x509: X509Certificate } | undefined {
  try {
    const cert = readFileSync(certFile, 'utf8');
    const key = readFileSync(keyFile, 'utf8');
    const x509 = new X509Certificate(cert);
    if (!x509.checkPrivateKey(createPrivateKey(key))) return undefined;
    if (Date.parse(x509.validTo) - Date.now() < renewBeforeMs) return undefined;
    return { identity: { cert, key, fingerprint256: x509.fingerprint256, source: { kind: 'generated', dir }, validTo: x509.validTo }, x509 };
  } catch {
    // Unreadable or damaged: made again.
    return undefined;
  }
}
