// The local upload_slice server (PROTOCOL.md): the demo's backend, the end-to-end tests' peer and
// the benchmark's target. Plain node:http, no framework. createProtocolHandler() gives a
// (req, res, next) handler to mount anywhere (the Vite plugin does); startProtocolServer() runs it
// on its own port.

import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer, Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { Codes, fail, type Reply } from './codes.js';
import { answerInjectedError, chance, DroppedError, droppingBody, nameLimitRefusal, sanitizeFaults, type Faults } from './faults.js';
import { answerPreflight, drain, readJsonBody, replyAndClose, sendJson, sendReply, setCors, sleep, type AllowedOrigins } from './http-util.js';
import { MultipartError } from './multipart.js';
import { parseFilePath, type FilePath } from './paths.js';
import { serveFile } from './serve-file.js';
import { handleSignatureRequest, type SignatureEndpoint } from './signature-endpoint.js';
import { count, countRejected, createStats, statsSnapshot, type ServerStats } from './stats.js';
import { loadOrCreateSecret, prepareDataDir, unlinkQuietly } from './storage.js';
import { BodyTooLargeError, checkSignature, handleUploadBody, limitedBody, type UploadContext } from './upload-request.js';
import { createTlsServer, makeSelfSignedCertificate } from './tls.js';
import { Uploads, type DoneData } from './uploads.js';

export type { Faults } from './faults.js';
export type { ServerStats, PathStats, CompletedFile } from './stats.js';

export interface ProtocolServerOptions {
  dataDir: string;
  appid?: string;
  bucket?: string;
  /** Default: generated once and kept in dataDir/secret.json, so signatures survive a restart. */
  secretId?: string;
  secretKey?: string;
  /** Slice size handed to clients (default 1 MiB); need not be a power of two. */
  sliceSize?: number;
  /** Lifetime of signatures from /api/signature (default 3600). */
  signatureTtlSeconds?: number;
  /** Store no bytes (benchmarks); the sha is still checked, over slices hashed in order. */
  discard?: boolean;
  faults?: Faults;
  /** CORS: '*' (default) or a list of allowed origins. */
  allowedOrigins?: AllowedOrigins;
  /** Base of access_url (default: http://{Host of the request}). */
  publicUrl?: string;
}

export interface ProtocolHandler {
  handle(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  stats: ServerStats;
  setFaults(faults: Faults): void;
  forgetSessions(): Promise<void>;
  close(): Promise<void>;
  /** The appid, bucket, slice size and keys in use (the keys never leave the server process). */
  config: { appid: string; bucket: string; sliceSize: number; secretId: string; secretKey: string };
}

export const FILES_PREFIX = '/files/v1/';
/** Room for the multipart framing and the small fields around a slice. */
const FORM_OVERHEAD = 64 * 1024;

export function createProtocolHandler(options: ProtocolServerOptions): ProtocolHandler {
  const layout = prepareDataDir(options.dataDir);
  const { secretId, secretKey } = loadOrCreateSecret(options.dataDir, options);
  const appid = options.appid ?? '1000001';
  const bucket = options.bucket ?? 'videos';
  const sliceSize = options.sliceSize ?? 1024 * 1024;
  if (!Number.isSafeInteger(sliceSize) || sliceSize < 1) throw new RangeError('sliceSize must be a positive integer');
  const discard = options.discard ?? false;
  const allowed = options.allowedOrigins ?? '*';
  const stats = createStats();
  let faults: Faults = sanitizeFaults(options.faults ?? {});
  const uploads = new Uploads({ layout, sliceSize, discard, stats });
  const ctx: UploadContext = {
    uploads, stats, appid, bucket, secretKey, discard, maxBodyBytes: sliceSize + FORM_OVERHEAD, verified: new Map(),
    unfinished: () => faults.unfinished,
  };
  const signature: SignatureEndpoint = {
    appid,
    bucket,
    secretId,
    secretKey,
    ttlSeconds: options.signatureTtlSeconds ?? 3600,
    stats,
    faults: () => faults,
    inFlight: 0,
  };

  const baseUrl = (req: IncomingMessage): string => {
    // HTTP/2 names the host in :authority; a TLS socket (HTTPS mode) says https.
    const host = req.headers.host ?? (req.headers[':authority'] as string | undefined) ?? '127.0.0.1';
    const scheme = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
    return (options.publicUrl ?? `${scheme}://${host}`).replace(/\/+$/, '');
  };

  let uploadsOpen = 0;
  const reject = (res: ServerResponse, reply: Reply): void => {
    countRejected(stats, reply.code);
    sendReply(res, reply);
  };

  async function upload(req: IncomingMessage, res: ServerResponse, file: FilePath): Promise<void> {
    const path = file.resourcePath;
    count(stats, path, 'requests');
    stats.maxConcurrentUploadRequests = Math.max(stats.maxConcurrentUploadRequests, ++uploadsOpen);
    res.once('close', () => uploadsOpen--);
    if (faults.delayMs) await sleep(faults.delayMs);
    const length = Number(req.headers['content-length']);
    if (Number.isFinite(length) && length > ctx.maxBodyBytes) {
      countRejected(stats, Codes.BODY_TOO_LARGE);
      replyAndClose(req, res, fail(Codes.BODY_TOO_LARGE, `the body may be at most ${ctx.maxBodyBytes} bytes`, 413));
      return;
    }
    let body: AsyncIterable<Buffer> = limitedBody(req, ctx.maxBodyBytes);
    if (chance(faults.dropRate)) body = droppingBody(req, body);
    if (chance(faults.errorRate)) {
      await drain(body);
      countRejected(stats, `http-${answerInjectedError(res)}`);
      return;
    }
    const nameRefused = nameLimitRefusal(file.path, faults.maxNameBytes);
    if (nameRefused) {
      await drain(body);
      reject(res, nameRefused);
      return;
    }
    const refused = await checkSignature(ctx, file, req.headers.authorization);
    if (refused) {
      await drain(body);
      reject(res, refused);
      return;
    }
    const done: DoneData = (f) => {
      const url = `${baseUrl(req)}/files/v1/${f.encoded}`;
      return { access_url: url, url, resource_path: f.resourcePath };
    };
    const info = { slice: false };
    const reply = await handleUploadBody(ctx, file, body, req.headers['content-type'], done, info);
    if (info.slice && faults.slowSliceMs) await sleep(faults.slowSliceMs);
    if (reply.code === Codes.OK) sendReply(res, reply);
    else reject(res, reply);
  }

  async function rawUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The benchmark's baseline: the whole file as one request body, hashed, stored or dropped.
    // Delayed like an upload request, so that a baseline at "+50 ms" pays what the protocol pays.
    if (faults.delayMs) await sleep(faults.delayMs);
    const hash = createHash('sha1');
    let size = 0;
    const target = discard ? undefined : join(layout.dataDir, 'raw', randomUUID());
    if (target) mkdirSync(join(layout.dataDir, 'raw'), { recursive: true });
    const sink = target ? createWriteStream(target) : undefined;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      hash.update(chunk);
      if (sink && !sink.write(chunk)) await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
    }
    if (sink && target) {
      await new Promise<void>((resolve) => sink.end(() => resolve()));
      await unlinkQuietly(target); // the write was the cost to measure; keeping it would fill the disk
    }
    sendJson(res, 200, { code: 0, message: 'SUCCESS', data: { size, sha: hash.digest('hex') } });
  }

  async function route(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const pathname = url.pathname;
    const ours =
      pathname.startsWith(FILES_PREFIX) || pathname.startsWith('/api/signature') || pathname === '/api/config' || pathname.startsWith('/__');
    if (!ours) {
      if (next) next();
      else sendJson(res, 404, { code: -1, message: 'NOT_FOUND', data: {} });
      return;
    }
    if (req.method === 'OPTIONS') {
      answerPreflight(req, res, allowed);
      return;
    }
    setCors(req, res, allowed);
    if (pathname.startsWith(FILES_PREFIX)) {
      // The raw path, before any decoding: '%2F' and dot segments are judged as sent.
      const rawPath = (req.url ?? '').split('?')[0]?.slice(FILES_PREFIX.length) ?? '';
      const file = parseFilePath(rawPath);
      if ('error' in file) {
        if (req.method === 'POST') await drain(limitedBody(req, ctx.maxBodyBytes)).catch(() => 0);
        countRejected(stats, Codes.PATH_INVALID);
        sendReply(res, fail(Codes.PATH_INVALID, file.error, req.method === 'POST' ? 200 : 400));
        return;
      }
      if (req.method === 'POST') return upload(req, res, file);
      if (req.method === 'GET' || req.method === 'HEAD') {
        const entry = uploads.files.get(file.key);
        if (!entry) return sendJson(res, 404, { code: -1, message: 'NOT_FOUND', data: {} });
        return serveFile(req, res, uploads.blobPath(entry.sha), file.path, entry.sha);
      }
      return sendJson(res, 405, { code: -1, message: 'METHOD_NOT_ALLOWED', data: {} });
    }
    if (pathname === '/api/signature' && req.method === 'GET') return handleSignatureRequest(url, res, signature);
    if (pathname === '/api/config' && req.method === 'GET') return sendJson(res, 200, { appid, bucket, sliceSize });
    if (pathname === '/__stats' && req.method === 'GET') return sendJson(res, 200, statsSnapshot(stats));
    if (pathname === '/__stats/reset' && req.method === 'POST') {
      await drain(req);
      stats.reset();
      return sendJson(res, 200, { ok: true });
    }
    if (pathname === '/__faults' && req.method === 'POST') {
      faults = sanitizeFaults(await readJsonBody(req));
      return sendJson(res, 200, faults);
    }
    if (pathname === '/__forget' && req.method === 'POST') {
      await drain(req);
      await uploads.forgetSessions();
      return sendJson(res, 200, { ok: true });
    }
    if (pathname === '/__raw' && req.method === 'POST') return rawUpload(req, res);
    if (next) next();
    else sendJson(res, 404, { code: -1, message: 'NOT_FOUND', data: {} });
  }

  return {
    handle(req, res, next) {
      route(req, res, next).catch((error: unknown) => {
        if (error instanceof DroppedError) {
          countRejected(stats, 'dropped');
        } else if (error instanceof BodyTooLargeError) {
          countRejected(stats, Codes.BODY_TOO_LARGE);
          replyAndClose(req, res, fail(Codes.BODY_TOO_LARGE, error.message, 413));
        } else if (error instanceof MultipartError) {
          countRejected(stats, Codes.MULTIPART_INVALID);
          sendReply(res, fail(Codes.MULTIPART_INVALID, error.message));
        } else if (!res.headersSent && !res.destroyed && req.socket?.destroyed !== true) {
          countRejected(stats, Codes.INTERNAL);
          sendReply(res, fail(Codes.INTERNAL, String(error), 500));
        }
      });
    },
    stats,
    setFaults(next) {
      faults = sanitizeFaults(next);
    },
    forgetSessions: () => uploads.forgetSessions(),
    close: async () => undefined,
    config: { appid, bucket, sliceSize, secretId, secretKey },
  };
}

export interface StartOptions extends ProtocolServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** HTTPS with HTTP/2 and HTTP/1.1 on one port, under a self-signed certificate made at start (tls.ts). */
  https?: boolean;
}

export interface RunningProtocolServer {
  url: string;
  endpoint: string;
  signatureUrl: string;
  port: number;
  stats: ServerStats;
  setFaults(faults: Faults): void;
  forgetSessions(): Promise<void>;
  close(): Promise<void>;
  handler: ProtocolHandler;
  /** HTTPS mode: the certificate (PEM) a client must trust. */
  certificate?: string;
  /** Requests answered by HTTP version ('1.1', '2.0'): whether a browser really spoke HTTP/2. */
  httpVersions: Record<string, number>;
}

export async function startProtocolServer(options: StartOptions): Promise<RunningProtocolServer> {
  const handler = createProtocolHandler(options);
  const httpVersions: Record<string, number> = {};
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    httpVersions[req.httpVersion] = (httpVersions[req.httpVersion] ?? 0) + 1;
    handler.handle(req, res);
  };
  const certificate = options.https ? makeSelfSignedCertificate() : undefined;
  const server = certificate ? createTlsServer(certificate, handle) : createServer(handle);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  if (server instanceof HttpServer) {
    // Uploads run long on slow links; Node's default request timeout (5 min) would cut big slices.
    server.requestTimeout = 0;
    server.keepAliveTimeout = 10_000;
  }
  // ...but a connection that stays silent for 2 minutes is dead: closing it releases the slice it
  // was writing (a copy of that slice waits for it). A long sha check that outlives this is harmless:
  // the client re-sends the slice and gets the result.
  server.setTimeout(120_000);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `${certificate ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    endpoint: `${url}/files/v1`,
    signatureUrl: `${url}/api/signature`,
    port,
    stats: handler.stats,
    setFaults: handler.setFaults,
    forgetSessions: handler.forgetSessions,
    handler,
    certificate: certificate?.cert,
    httpVersions,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handler.close();
    },
  };
}
