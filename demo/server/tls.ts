// HTTPS mode of the protocol server: a self-signed certificate for 127.0.0.1 and localhost, made at
// start with the machine's openssl (nothing is kept: a fresh key per server), and a server that
// speaks HTTP/2 and HTTP/1.1 on one port (node:http2 with allowHTTP1), as production front ends do.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SelfSignedCertificate {
  /** PEM. */
  key: string;
  /** PEM: what a client trusts (Node's `ca`), or whose SPKI Chromium is told to accept. */
  cert: string;
}

export function makeSelfSignedCertificate(openssl = process.env.OPENSSL ?? 'openssl'): SelfSignedCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'vod-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(openssl, [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * HTTP/2 and HTTP/1.1 over TLS, handing every request to `handle` through Node's compatibility API
 * (Http2ServerRequest / Http2ServerResponse behave as IncomingMessage / ServerResponse for what the
 * protocol server uses). Note: a fault that destroys `req.socket` ends the whole HTTP/2 session.
 */
export function createTlsServer(certificate: SelfSignedCertificate, handle: (req: IncomingMessage, res: ServerResponse) => void): Http2SecureServer {
  // HTTP/2's default receive windows (64 KiB per stream and per connection) would make the server
  // the bottleneck of every upload: a client may send only that much before the server's next
  // WINDOW_UPDATE. Production front ends open them wide; so does this one.
  const server = createSecureServer({ ...certificate, allowHTTP1: true, settings: { initialWindowSize: STREAM_WINDOW } }, (req, res) =>
    handle(req as unknown as IncomingMessage, res as unknown as ServerResponse),
  );
  server.on('session', (session) => session.setLocalWindowSize(SESSION_WINDOW));
  return server;
}

const STREAM_WINDOW = 4 * 1024 * 1024;
const SESSION_WINDOW = 32 * 1024 * 1024;
