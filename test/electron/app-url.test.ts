import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appIndexUrl } from '../../electron/main/app-protocol.js';
import { appLocation, appUrlWithRoute, isAppUrl } from '../../electron/main/app-url.js';

const indexFile = '/opt/Photon/resources/app.asar/out/renderer/index.html';
const fileApp = pathToFileURL(indexFile).href;
const schemeApp = 'app://photon/index.html';
const devApp = 'http://localhost:5173/';

describe('appLocation', () => {
  it("loads the built renderer from the app's own scheme, never from file://", () => {
    expect(appIndexUrl).toBe(schemeApp);
    expect(appLocation({ isPackaged: true })).toEqual({ url: schemeApp, devServer: false });
    expect(appLocation({ isPackaged: false })).toEqual({ url: schemeApp, devServer: false });
  });

  it('uses the dev server only in an unpackaged app', () => {
    expect(appLocation({ devServerUrl: devApp, isPackaged: false })).toEqual({ url: devApp, devServer: true });
    expect(appLocation({ devServerUrl: devApp, isPackaged: true })).toEqual({ url: schemeApp, devServer: false });
  });

  it('ignores a dev-server URL that is not http(s)', () => {
    expect(appLocation({ devServerUrl: 'file:///etc/passwd', isPackaged: false }).url).toBe(schemeApp);
    expect(appLocation({ devServerUrl: 'not a url', isPackaged: false }).url).toBe(schemeApp);
  });
});

describe('isAppUrl on the app scheme', () => {
  it('accepts the app page with any route or query, and nothing else', () => {
    expect(isAppUrl(schemeApp, schemeApp)).toBe(true);
    expect(isAppUrl(`${schemeApp}#/runs/abc`, schemeApp)).toBe(true);
    expect(isAppUrl(`${schemeApp}?x=1`, schemeApp)).toBe(true);
    expect(isAppUrl('app://photon/x/../index.html', schemeApp)).toBe(true);
    expect(isAppUrl('app://photon/assets/index.js', schemeApp)).toBe(false);
    expect(isAppUrl('app://other/index.html', schemeApp)).toBe(false);
    expect(isAppUrl('app://user@photon/index.html', schemeApp)).toBe(false);
    expect(isAppUrl(fileApp, schemeApp)).toBe(false);
    expect(isAppUrl('file:///index.html', schemeApp)).toBe(false);
    expect(isAppUrl('http://photon/index.html', schemeApp)).toBe(false);
  });
});

describe('isAppUrl', () => {
  it('accepts the app file with any route or query', () => {
    expect(isAppUrl(fileApp, fileApp)).toBe(true);
    expect(isAppUrl(`${fileApp}#/runs/abc`, fileApp)).toBe(true);
    expect(isAppUrl(`${fileApp}?x=1`, fileApp)).toBe(true);
  });

  it('refuses any other file, including lookalikes and traversal', () => {
    expect(isAppUrl('file:///etc/passwd', fileApp)).toBe(false);
    expect(isAppUrl(pathToFileURL('/opt/Photon/resources/app.asar/out/renderer/other.html').href, fileApp)).toBe(false);
    expect(isAppUrl(`${fileApp}.evil.html`, fileApp)).toBe(false);
    expect(isAppUrl('file:///opt/Photon/resources/app.asar/out/renderer/x/../index.html', fileApp)).toBe(true);
    expect(isAppUrl('file:///opt/Photon/resources/app.asar/out/renderer/index.html/..', fileApp)).toBe(false);
  });

  it('refuses other schemes against a file app', () => {
    expect(isAppUrl('http://localhost:5173/', fileApp)).toBe(false);
    expect(isAppUrl('about:blank', fileApp)).toBe(false);
    expect(isAppUrl('devtools://devtools/bundled/inspector.html', fileApp)).toBe(false);
    expect(isAppUrl('', fileApp)).toBe(false);
  });

  it('accepts any page of the dev server origin and nothing else', () => {
    expect(isAppUrl('http://localhost:5173/index.html#/runs/1', devApp)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', devApp)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', devApp)).toBe(false);
    expect(isAppUrl('https://localhost:5173/', devApp)).toBe(false);
    expect(isAppUrl('http://user:pw@localhost:5173/', devApp)).toBe(false);
    expect(isAppUrl('http://localhost:5173.evil.com/', devApp)).toBe(false);
  });
});

describe('appUrlWithRoute', () => {
  it('sets the hash and nothing else', () => {
    expect(appUrlWithRoute(fileApp, '#/runs/r1')).toBe(`${fileApp}#/runs/r1`);
    expect(appUrlWithRoute(`${fileApp}#/workflows/w`, '#/runs/r1')).toBe(`${fileApp}#/runs/r1`);
    expect(appUrlWithRoute(devApp, '/runs/r%20x')).toBe(`${devApp}#/runs/r%20x`);
  });
});
