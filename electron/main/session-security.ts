import type { Session } from 'electron';
import { isAppUrl } from './app-url.js';
import { contentSecurityPolicy, withContentSecurityPolicy } from './content-security-policy.js';
import { permissionDecision } from './permission-policy.js';

/**
 * The session's guards: the CSP header on the app's own pages, and permission handlers that
 * refuse whatever the policy does not name.
 */
export function secureSession(session: Session, appUrl: string, devServerUrl: string | undefined): void {
  const policy = contentSecurityPolicy(devServerUrl);
  session.webRequest.onHeadersReceived((details, callback) => {
    const isDocument = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
    if (isDocument && isAppUrl(details.url, appUrl)) {
      callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, policy) });
    } else {
      callback({});
    }
  });
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    // Only the top frame is the app; a frame inside it (there should be none) gets nothing.
    callback(details.isMainFrame && permissionDecision(permission, details.requestingUrl, appUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    return details.isMainFrame && permissionDecision(permission, details.requestingUrl ?? requestingOrigin, appUrl);
  });
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
}
