// Small HTTP helpers shared by the routes: CORS headers, JSON and text answers, draining a body.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { replyBody, type Reply } from './codes.js';

export type AllowedOrigins = string[] | '*';

/** Sets the CORS headers of every answer; the request's Origin must be allowed when a list is given. */
export function setCors(req: IncomingMessage, res: ServerResponse, allowed: AllowedOrigins): void {
  const origin = req.headers.origin;
  if (allowed === '*') {
    res.setHeader('Access-Control-Allow-Origin', '*');
  } else if (origin && allowed.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
  } else {
    res.setHeader('Vary', 'Origin');
    return;
  }
  // Lets a page read the size and range of a finished file (a <video> or a fetch with Range).
  res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges, ETag');
}

export function answerPreflight(req: IncomingMessage, res: ServerResponse, allowed: AllowedOrigins): void {
  setCors(req, res, allowed);
  res.setHeader('Access-Control-Allow-Methods', 'POST, GET, HEAD, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Range');
  res.setHeader('Access-Control-Max-Age', '600');
  res.statusCode = 204;
  res.end();
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  sendJson(res, reply.status ?? 200, replyBody(reply));
}

export function sendText(res: ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

/** Reads and drops the rest of a body, so that the client, still sending, can read the answer. */
export async function drain(body: AsyncIterable<Buffer>): Promise<number> {
  let size = 0;
  for await (const chunk of body) size += chunk.length;
  return size;
}

/** Answers and then closes the connection: for bodies the server refuses to read (413). */
export function replyAndClose(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  const socket = req.socket;
  // HTTP/2 forbids connection headers (and its socket is the whole session's: ending it ends all streams).
  if (req.httpVersionMajor < 2) res.setHeader('Connection', 'close');
  sendReply(res, reply);
  // A short grace period lets the answer leave before the unread body is cut off.
  if (req.httpVersionMajor < 2) res.on('finish', () => setTimeout(() => socket?.destroy(), 50));
}

export async function readJsonBody<T>(req: IncomingMessage, max = 64 * 1024): Promise<T> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new Error('body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return (text.trim() === '' ? {} : JSON.parse(text)) as T;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
