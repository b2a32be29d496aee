/**
 * Keys: API keys (made, listed, revoked, checked, with scopes) and the security audit log. Hosts
 * check a presented key and a call's scope here; the engine itself holds no opinion about wires.
 */
export { KeyService, type KeyCheck } from './key-service.js';
export { AuditLog, type AuditEvent, type AuditOptions } from './audit-log.js';
