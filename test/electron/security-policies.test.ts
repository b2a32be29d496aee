import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, withContentSecurityPolicy } from '../../electron/main/content-security-policy.js';
import { externalLinkPolicy, isAllowedNavigation } from '../../electron/main/navigation-policy.js';
import { allowedPermissions, permissionDecision } from '../../electron/main/permission-policy.js';
import { isAllowedSender } from '../../electron/main/sender-policy.js';

const appUrl = pathToFileURL('/app/out/renderer/index.html').href;

describe('isAllowedSender', () => {
  it('answers only the app page', () => {
    expect(isAllowedSender(appUrl, appUrl)).toBe(true);
    expect(isAllowedSender(`${appUrl}#/runs/1`, appUrl)).toBe(true);
  });

  it('refuses other pages, empty and missing frame URLs', () => {
    expect(isAllowedSender('https://evil.example/', appUrl)).toBe(false);
    expect(isAllowedSender('file:///tmp/evil.html', appUrl)).toBe(false);
    expect(isAllowedSender('about:blank', appUrl)).toBe(false);
    expect(isAllowedSender('', appUrl)).toBe(false);
    expect(isAllowedSender(undefined, appUrl)).toBe(false);
    expect(isAllowedSender(null, appUrl)).toBe(false);
  });

  it('with a dev server, answers its origin only', () => {
    expect(isAllowedSender('http://localhost:5173/#/runs/1', 'http://localhost:5173/')).toBe(true);
    expect(isAllowedSender('http://localhost:5999/', 'http://localhost:5173/')).toBe(false);
  });
});

describe('isAllowedNavigation', () => {
  it('keeps the window on the app', () => {
    expect(isAllowedNavigation(`${appUrl}#/workflows/w1`, appUrl)).toBe(true);
    expect(isAllowedNavigation('https://example.com/', appUrl)).toBe(false);
    expect(isAllowedNavigation('file:///etc/hosts', appUrl)).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', appUrl)).toBe(false);
    expect(isAllowedNavigation('data:text/html,<h1>x</h1>', appUrl)).toBe(false);
  });
});

describe('externalLinkPolicy', () => {
  it('sends http(s) links to the browser', () => {
    expect(externalLinkPolicy('https://github.com/photon')).toEqual({ action: 'open-externally', url: 'https://github.com/photon' });
    expect(externalLinkPolicy('http://example.com/a b')).toEqual({ action: 'open-externally', url: 'http://example.com/a%20b' });
  });

  it('denies every other scheme and malformed links', () => {
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'smb://host/share', 'ms-settings:', 'vscode://x', 'mailto:a@b.c', 'not a url', '', 'https://']) {
      expect(externalLinkPolicy(url)).toEqual({ action: 'deny' });
    }
  });

  it('denies links carrying credentials', () => {
    expect(externalLinkPolicy('https://user:secret@example.com/')).toEqual({ action: 'deny' });
  });
});

describe('permissionDecision', () => {
  it('denies by default, whoever asks', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'midi', 'hid', 'serial', 'usb', 'openExternal', 'clipboard-read', 'fullscreen', 'unknown', 'display-capture']) {
      expect(permissionDecision(permission, appUrl, appUrl)).toBe(false);
    }
  });

  it('allows only the listed permissions, and only to the app page', () => {
    expect([...allowedPermissions]).toEqual(['clipboard-sanitized-write']);
    expect(permissionDecision('clipboard-sanitized-write', appUrl, appUrl)).toBe(true);
    expect(permissionDecision('clipboard-sanitized-write', 'https://evil.example/', appUrl)).toBe(false);
    expect(permissionDecision('clipboard-sanitized-write', undefined, appUrl)).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  const parse = (policy: string) => new Map(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));

  it('loads only the app itself: no inline or eval scripts, no remote anything', () => {
    const csp = parse(contentSecurityPolicy());
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('frame-src')).toEqual(["'none'"]);
    const all = contentSecurityPolicy();
    expect(all).not.toContain('unsafe-eval');
    expect(all).not.toMatch(/https?:|ws:|\*/);
  });

  it('allows inline styles, which xterm.js and React Flow set at run time', () => {
    expect(parse(contentSecurityPolicy()).get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it('opens the dev server origin and its HMR socket, and nothing more', () => {
    const csp = parse(contentSecurityPolicy('http://localhost:5173/'));
    expect(csp.get('script-src')).toEqual(["'self'", "'unsafe-inline'", 'http://localhost:5173']);
    expect(csp.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(contentSecurityPolicy('http://localhost:5173/')).not.toContain('unsafe-eval');
  });

  it('replaces any policy a server sent, whatever the header case', () => {
    const headers = withContentSecurityPolicy({ 'content-security-policy': ['default-src *'], 'Content-Type': 'text/html' }, "default-src 'none'");
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'none'"] });
    expect(withContentSecurityPolicy(undefined, 'x')).toEqual({ 'Content-Security-Policy': ['x'] });
  });
});
