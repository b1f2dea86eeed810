// Fault injection for tests and demos: failing, dropped, slow upload requests and a misbehaving
// signature endpoint. Switched at run time with setFaults() or POST /__faults.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Codes, fail, type Reply } from './codes.js';
import { sendJson, sendText } from './http-util.js';

export interface Faults {
  /** Share (0..1) of upload requests answered 500 or 503, with a JSON or an HTML body. */
  errorRate?: number;
  /** Share (0..1) of upload requests whose connection is destroyed part-way through the body. */
  dropRate?: number;
  /** Added before handling each upload request. */
  delayMs?: number;
  /** How /api/signature behaves: 'down' 503, '403', 'html' a login page, 'garbage' a non-signature. */
  signature?: 'ok' | 'down' | '403' | 'html' | 'garbage';
  /** Added after handling each slice and before answering it (the slice is stored): timeouts. */
  slowSliceMs?: number;
  /** Added before answering /api/signature (an addition: lets tests see concurrent requests). */
  signatureDelayMs?: number;
  /** File names over this many UTF-8 bytes are refused with -4012, as a server with such a limit would. */
  maxNameBytes?: number;
  /**
   * A first request without a session, for a path and sha with an unfinished session, is answered
   * -4019 instead of resumed: with that session in `data` ('with-session') or with none.
   */
  unfinished?: 'with-session' | 'without-session';
}

const KNOWN = ['errorRate', 'dropRate', 'delayMs', 'signature', 'slowSliceMs', 'signatureDelayMs', 'maxNameBytes', 'unfinished'];

/** Keeps only the known keys with values of the right type (POST /__faults takes any JSON). */
export function sanitizeFaults(input: unknown): Faults {
  const out: Record<string, unknown> = {};
  if (typeof input !== 'object' || input === null) return out;
  for (const [key, value] of Object.entries(input)) {
    if (!KNOWN.includes(key)) continue;
    if (key === 'signature') {
      if (['ok', 'down', '403', 'html', 'garbage'].includes(String(value))) out[key] = value;
    } else if (key === 'unfinished') {
      if (value === 'with-session' || value === 'without-session') out[key] = value;
    } else if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
      out[key] = key.endsWith('Rate') ? Math.min(1, value) : value;
    }
  }
  return out as Faults;
}

export function chance(rate: number | undefined): boolean {
  return rate !== undefined && rate > 0 && Math.random() < rate;
}

/** The refusal of a server that limits name lengths; undefined when the name fits (or no limit is set). */
export function nameLimitRefusal(path: string, maxNameBytes: number | undefined): Reply | undefined {
  if (!maxNameBytes) return undefined;
  const bytes = Buffer.byteLength(path.slice(path.lastIndexOf('/') + 1));
  if (bytes <= maxNameBytes) return undefined;
  return fail(Codes.PATH_INVALID, `the file name is ${bytes} bytes long; this server allows at most ${maxNameBytes}`);
}

/** A transient server failure as proxies and gateways produce them. */
export function answerInjectedError(res: ServerResponse): number {
  const status = Math.random() < 0.5 ? 500 : 503;
  if (Math.random() < 0.5) {
    sendJson(res, status, { code: -5997, message: 'ERROR_INJECTED_FAULT: injected server error', data: {} });
  } else {
    sendText(res, status, `<html><body><h1>${status}</h1><p>injected fault</p></body></html>`, 'text/html; charset=utf-8');
  }
  return status;
}

/** Passes the body on until a random point, then destroys the connection (a dropped network). */
export class DroppedError extends Error {
  override readonly name = 'DroppedError';
}

export async function* droppingBody(req: IncomingMessage, body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const socket = req.socket;
  const length = Number(req.headers['content-length'] ?? 0);
  const cut = Math.floor(Math.random() * Math.max(1, length / 2));
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.length;
    if (seen > cut) {
      socket?.destroy();
      throw new DroppedError('connection dropped by fault injection');
    }
    yield chunk;
  }
  socket?.destroy();
  throw new DroppedError('connection dropped by fault injection');
}

/** Answers /api/signature as the fault says; false when the signature should be served normally. */
export function answerSignatureFault(res: ServerResponse, fault: Faults['signature']): boolean {
  switch (fault) {
    case 'down':
      sendText(res, 503, 'Service Unavailable');
      return true;
    case '403':
      sendText(res, 403, 'Forbidden: you are not logged in');
      return true;
    case 'html':
      sendText(res, 200, '<!doctype html><html><body><form>Log in</form></body></html>', 'text/html; charset=utf-8');
      return true;
    case 'garbage':
      sendText(res, 200, 'this is not a signature');
      return true;
    default:
      return false;
  }
}
