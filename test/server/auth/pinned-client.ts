/** An HTTPS client that trusts one certificate only, by its SHA-256 fingerprint, as a script or phone that pinned it. */
import { request } from 'node:https';
import { isIP } from 'node:net';
import { connect } from 'node:tls';

export interface Answer {
  status: number;
  body: string;
  fingerprint: string;
}

/**
 * A GET over a TLS connection whose certificate has the pinned SHA-256 fingerprint: the connection
 * is made and checked first, and only then is the request (and its key) written on it.
 */
export function pinnedGet(host: string, port: number, path: string, pin: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, rejectUnauthorized: false, ...(isIP(host) === 0 ? { servername: host } : {}) });
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      if (fingerprint !== pin) {
        socket.destroy();
        reject(new Error(`certificate fingerprint ${fingerprint} is not the pinned ${pin}`));
        return;
      }
      const req = request({ path, method: 'GET', headers: { host: `${isIP(host) === 6 ? `[${host}]` : host}:${port}`, ...headers }, createConnection: () => socket });
      req.on('response', (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, fingerprint }));
      });
      req.on('error', reject);
      req.end();
    });
  });
}
