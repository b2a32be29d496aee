import { describe, expect, it } from 'vitest';
import type { HostInfo } from '../../shared/hosts.js';
import { hostStepNote, isolatedWorkflow } from '../../renderer/canvas/HostStepField.js';

const host = (name: string, repoPath: string | null = null): HostInfo => ({
  name,
  address: `ssh://me@${name}:22`,
  repoPath,
  status: 'connected',
  latencyMs: 3,
  lastError: null,
  presentedKey: null,
  checkedAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('the canvas step’s "Runs on" says where it runs, and what the engine would refuse', () => {
  const base = { hosts: [host('devbox'), host('builder', '~/src/app')], platform: 'shell', agent: undefined, isolated: false };

  it('says this machine, or the remote agent’s host, when the step names none', () => {
    expect(hostStepNote({ ...base, host: '' })).toEqual({ kind: 'hint', text: 'On this machine.' });
    expect(hostStepNote({ ...base, host: '', agent: { name: 'Far', location: 'remote', host: 'devbox' } })).toEqual({ kind: 'hint', text: 'Where its agent runs: Far is on devbox.' });
  });

  it('names the host and its address, and for an AI step that the tool is the host’s', () => {
    expect(hostStepNote({ ...base, host: 'devbox' })).toEqual({ kind: 'hint', text: 'Over ssh on devbox (ssh://me@devbox:22); its working folder is a folder there.' });
    expect(hostStepNote({ ...base, host: 'devbox', platform: 'claude-code' })).toEqual({
      kind: 'hint',
      text: 'Over ssh on devbox (ssh://me@devbox:22); Claude Code as installed there (photon tools --host devbox), headless; its working folder is a folder there.',
    });
  });

  it('warns of a host not configured, and a workspace without the host’s clone', () => {
    expect(hostStepNote({ ...base, host: 'gone' })).toEqual({ kind: 'warning', text: 'No remote host “gone”: add it in Settings → Remote hosts, or pick another.' });
    expect(hostStepNote({ ...base, host: 'devbox', isolated: true })).toEqual({
      kind: 'warning',
      text: 'The workflow has a workspace, and devbox has no clone of the repository set: set it in Settings → Remote hosts (Repository…).',
    });
    expect(hostStepNote({ ...base, host: 'builder', isolated: true }).kind).toBe('hint');
  });

  it('waits for the hosts before judging a named one', () => {
    expect(hostStepNote({ ...base, hosts: null, host: 'devbox' })).toEqual({ kind: 'hint', text: 'Looking up the remote hosts…' });
  });

  it('counts a workflow as isolated when its workspace does not say "none"', () => {
    expect(isolatedWorkflow({ name: 'w' })).toBe(false);
    expect(isolatedWorkflow({ name: 'w', workspace: { repo: '.' } })).toBe(true);
    expect(isolatedWorkflow({ name: 'w', workspace: { isolation: 'none' } })).toBe(false);
  });
});
