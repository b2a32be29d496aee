import { describe, expect, it } from 'vitest';
import { accessScopes, scopeAllows } from '../../shared/access.js';
import { methods } from '../../shared/api.js';
import { methodScopes } from '../../shared/method-scopes.js';

describe('method scopes', () => {
  it('give every method of the contract a scope, and name no method the contract lacks', () => {
    const unscoped = Object.keys(methods).filter((name) => !(accessScopes as readonly string[]).includes(methodScopes[name as keyof typeof methods]));
    expect(unscoped, 'add these methods to shared/method-scopes.ts').toEqual([]);
    expect(Object.keys(methodScopes).filter((name) => !Object.hasOwn(methods, name))).toEqual([]);
  });

  it('keep secrets, keys, agents and the audit log to admin, and runs and approvals to run', () => {
    for (const name of Object.keys(methods) as (keyof typeof methods)[]) {
      if (/^(secrets|keys|audit)\./.test(name) || ['agents.save', 'agents.delete', 'approvals.setRules'].includes(name)) expect(methodScopes[name], name).toBe('admin');
    }
    for (const name of ['runs.start', 'runs.cancel', 'runs.resume', 'approvals.answer', 'terminals.write'] as const) expect(methodScopes[name], name).toBe('run');
  });

  it('order the scopes read < run < admin', () => {
    expect(scopeAllows('admin', 'run')).toBe(true);
    expect(scopeAllows('run', 'read')).toBe(true);
    expect(scopeAllows('run', 'admin')).toBe(false);
    expect(scopeAllows('read', 'run')).toBe(false);
  });
});
