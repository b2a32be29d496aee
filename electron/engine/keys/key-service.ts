/**
 * API keys: made, listed, revoked and checked. A revocation counts from the next request, also when
 * another Photon process (the CLI) made it. What a check remembers of a key already proven in this
 * process: a fast digest of its secret in place of the slow hash, and its row for as long as no
 * other connection has written to the database (SQLite's data_version) and this process has not
 * revoked it, so a busy key costs neither scrypt nor a row read per request. Expiry is checked
 * against the clock each time.
 */
import { randomUUID } from 'node:crypto';
import { scopeAllows, type AccessScope, type ApiKeyInfo, type CreatedApiKey, type KeyPrincipal } from '../../../shared/access.js';
import { PhotonError } from '../../../shared/errors.js';
import type { ApiKeyRow, ApiKeysRepository } from '../storage/index.js';
import { createVerifiedCache, looksLikeKey, makeKeySecret, parseKey, secretMatches } from './api-key-secret.js';
import type { AuditLog } from './audit-log.js';

export type KeyCheck = { ok: true; key: KeyPrincipal } | { ok: false; reason: string; prefix?: string };

/** How often a key's last use is written: a busy key must not cost a write per request. */
const touchEveryMs = 5_000;

/** At most this many proven keys' rows are remembered; the oldest is read again when needed. */
const knownCapacity = 1000;

export class KeyService {
  private readonly verified = createVerifiedCache(knownCapacity);
  /** Proven keys' rows by prefix, with `othersChanges()` as it was before the row was read. */
  private readonly known = new Map<string, { row: ApiKeyRow; version: number }>();
  /**
   * Slow hashes under way, by prefix and secret: the requests a client fleet sends at once with a
   * key this process has not proven yet wait for one hash instead of each running its own (100
   * connections opening together ran 100 scrypts, seconds of CPU).
   */
  private readonly proving = new Map<string, Promise<boolean>>();
  /** When and from where each key's last use was written. */
  private readonly lastTouched = new Map<string, { at: number; from: string }>();

  constructor(
    private readonly repo: ApiKeysRepository,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(): ApiKeyInfo[] {
    return this.repo.list().map((row) => this.info(row));
  }

  async create(params: { name: string; scope: AccessScope; expiresInMs?: number }, by = 'local'): Promise<CreatedApiKey> {
    if (this.repo.activeByName(params.name)) {
      throw new PhotonError('conflict', `an active key is already named "${params.name}"; choose another name, or revoke that one first (\`photon keys revoke ${params.name}\`)`);
    }
    let secret = await makeKeySecret();
    // 32 bits of prefix: a clash is rare, and a prefix stays unique for ever (revoked keys keep theirs).
    while (this.repo.byPrefix(secret.prefix)) secret = await makeKeySecret();
    const now = this.now();
    const row = {
      id: randomUUID(),
      name: params.name,
      prefix: secret.prefix,
      salt: secret.salt,
      hash: secret.hash,
      scope: params.scope,
      createdAt: now.toISOString(),
      expiresAt: params.expiresInMs === undefined ? null : new Date(now.getTime() + params.expiresInMs).toISOString(),
    };
    this.repo.insert(row);
    const expiry = row.expiresAt ? `, expires ${row.expiresAt}` : ', never expires';
    this.audit.record({ kind: 'key.created', keyId: row.id, keyName: row.name, keyPrefix: row.prefix, scope: row.scope, address: by, detail: `key "${row.name}" made with scope ${row.scope}${expiry}` });
    return { key: this.info(this.repo.byId(row.id)!), secret: secret.text };
  }

  /** Revokes the active key with this name, else the one with this prefix (with or without `photon_`). */
  revoke(nameOrPrefix: string, by = 'local'): ApiKeyInfo {
    const prefix = /^(?:photon_)?([0-9a-f]{8})_?$/.exec(nameOrPrefix)?.[1];
    const row = this.repo.activeByName(nameOrPrefix) ?? (prefix !== undefined ? this.repo.byPrefix(prefix) : undefined);
    if (!row) throw new PhotonError('not_found', `no key is named or prefixed "${nameOrPrefix}"; \`photon keys list\` shows names and prefixes`);
    if (row.revokedAt !== null) throw new PhotonError('conflict', `key "${row.name}" (${row.prefix}) was already revoked at ${row.revokedAt}`);
    this.repo.revoke(row.id, this.now().toISOString());
    this.verified.forget(row.prefix);
    this.known.delete(row.prefix);
    this.audit.record({ kind: 'key.revoked', keyId: row.id, keyName: row.name, keyPrefix: row.prefix, scope: row.scope, address: by, detail: `key "${row.name}" revoked` });
    return this.info(this.repo.byId(row.id)!);
  }

  /** Whether a presented text is a key that opens anything now; the reason in words when not. */
  async verify(text: string, address: string): Promise<KeyCheck> {
    const parsed = parseKey(text);
    if (!parsed) {
      return { ok: false, reason: looksLikeKey(text) ? 'a malformed API key (expected photon_ then 8 hex characters, _ and 43 more)' : 'an unknown token or key' };
    }
    const known = this.known.get(parsed.prefix);
    if (known && known.version === this.repo.othersChanges() && this.verified.has(parsed.prefix, parsed.secret)) return this.admit(known.row, address);
    const row = this.repo.byPrefix(parsed.prefix);
    if (!row) return { ok: false, reason: 'an unknown API key', prefix: parsed.prefix };
    if (!this.verified.has(row.prefix, parsed.secret)) {
      if (!(await this.prove(row, parsed.secret))) return { ok: false, reason: 'an API key with a wrong secret', prefix: row.prefix };
    }
    // Read again after the hash: a revocation that landed while scrypt ran counts. The version
    // first, so a change between the two reads makes the next check read the row again.
    const version = this.repo.othersChanges();
    const current = this.repo.byId(row.id)!;
    if (this.known.size >= knownCapacity) this.known.delete(this.known.keys().next().value!);
    this.known.set(row.prefix, { row: current, version });
    return this.admit(current, address);
  }

  /** Whether `secret` is the key's, by its slow hash: one hash for all who ask at once. */
  private prove(row: ApiKeyRow, secret: string): Promise<boolean> {
    const id = this.verified.idOf(row.prefix, secret);
    let proof = this.proving.get(id);
    if (!proof) {
      proof = secretMatches(secret, row.salt, row.hash)
        .then((matches) => {
          if (matches) this.verified.add(row.prefix, secret);
          return matches;
        })
        .finally(() => this.proving.delete(id));
      this.proving.set(id, proof);
    }
    return proof;
  }

  private admit(row: ApiKeyRow, address: string): KeyCheck {
    const state = this.stateOf(row);
    if (state !== 'active') return { ok: false, reason: state === 'revoked' ? `API key "${row.name}" was revoked at ${row.revokedAt}` : `API key "${row.name}" expired at ${row.expiresAt}`, prefix: row.prefix };
    this.noteUse(row, address);
    return { ok: true, key: { id: row.id, name: row.name, prefix: row.prefix, scope: row.scope } };
  }

  /** Refuses (and records) a call beyond the key's scope; records the use otherwise. */
  authorize(key: KeyPrincipal, needed: AccessScope, target: string, address: string): void {
    const base = { keyId: key.id, keyName: key.name, keyPrefix: key.prefix, scope: key.scope, address, target };
    if (!scopeAllows(key.scope, needed)) {
      this.audit.record({ ...base, kind: 'scope.refused', detail: `needs scope ${needed}` });
      throw new PhotonError('forbidden', `${target} needs an API key with scope ${needed}; key "${key.name}" has scope ${key.scope}`);
    }
    this.audit.record({ ...base, kind: 'key.used', detail: `used with scope ${needed}` });
  }

  private noteUse(row: ApiKeyRow, address: string): void {
    const now = this.now().getTime();
    const last = this.lastTouched.get(row.id);
    // A use from another address is written at once: the list shows where a key is used from.
    if (last && now - last.at < touchEveryMs && last.from === address) return;
    this.lastTouched.set(row.id, { at: now, from: address });
    this.repo.touch(row.id, new Date(now).toISOString(), address);
  }

  private stateOf(row: ApiKeyRow): ApiKeyInfo['status'] {
    if (row.revokedAt !== null) return 'revoked';
    if (row.expiresAt !== null && Date.parse(row.expiresAt) <= this.now().getTime()) return 'expired';
    return 'active';
  }

  private info(row: ApiKeyRow): ApiKeyInfo {
    return {
      id: row.id,
      name: row.name,
      prefix: row.prefix,
      scope: row.scope,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      revokedAt: row.revokedAt,
      lastUsedAt: row.lastUsedAt,
      lastUsedFrom: row.lastUsedFrom,
      status: this.stateOf(row),
    };
  }
}
