// One POST /files/v1/{appid}/{bucket}/{path}: checks the size, the signature and the form, then
// streams the `filecontent` part of a slice straight into a positioned write of the part file.

import type { FileHandle } from 'node:fs/promises';
import { verifyUploadSignature } from '../../src/signer/index.js';
import { Codes, fail, type Code, type Reply } from './codes.js';
import { multipartBoundary, parseMultipart } from './multipart.js';
import type { FilePath } from './paths.js';
import type { Faults } from './faults.js';
import { count } from './stats.js';
import type { Session } from './session.js';
import { METADATA_FIELDS, type DoneData, type Uploads } from './uploads.js';
import type { ServerStats } from './stats.js';

export interface UploadContext {
  uploads: Uploads;
  stats: ServerStats;
  appid: string;
  bucket: string;
  secretKey: string;
  discard: boolean;
  maxBodyBytes: number;
  /**
   * Signatures (by appid, bucket and text) whose HMAC verified, with their expiry in seconds: a
   * client signs once and sends the same text with every request.
   */
  verified: Map<string, number>;
  /** The -4019 fault mode in force (faults.ts). */
  unfinished?: () => Faults['unfinished'];
}

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** The request body, refusing it as soon as it passes `max` bytes (chunked bodies have no length). */
export async function* limitedBody(req: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of req) {
    total += chunk.length;
    if (total > max) throw new BodyTooLargeError(`the body is larger than ${max} bytes`);
    yield chunk;
  }
}

const SIGNATURE_CODES: Record<number, Code> = {
  [-70]: Codes.SIGNATURE_EMPTY,
  [-97]: Codes.SIGNATURE_INVALID,
  [-96]: Codes.SIGNATURE_EXPIRED,
  [-81]: Codes.SIGNATURE_MISMATCH,
};

/** Most signatures remembered as verified (UploadContext.verified); past it the memory starts over. */
const VERIFIED_CACHE_SIZE = 1000;

export async function checkSignature(ctx: UploadContext, file: FilePath, header: string | undefined): Promise<Reply | undefined> {
  // The HMAC of a text already verified for this appid and bucket is not computed again (it was an
  // eighth of the server's time per small file); its expiry is, by the full check once it is due.
  const known = ctx.verified;
  const key = `${file.appid}\n${file.bucket}\n${header ?? ''}`;
  const expiresAt = known.get(key);
  if (expiresAt === undefined || expiresAt * 1000 <= Date.now()) {
    known.delete(key);
    const result = await verifyUploadSignature(header ?? '', {
      secretKey: ctx.secretKey,
      appid: file.appid,
      bucket: file.bucket,
    });
    if (!result.ok) return fail(SIGNATURE_CODES[result.code] ?? Codes.SIGNATURE_INVALID, result.reason);
    if (known.size >= VERIFIED_CACHE_SIZE) known.clear();
    known.set(key, result.fields.e);
  }
  if (file.appid !== ctx.appid || file.bucket !== ctx.bucket) {
    return fail(Codes.SIGNATURE_MISMATCH, `this server serves appid ${ctx.appid} / bucket ${ctx.bucket} only`);
  }
  return undefined;
}

/** Where the bytes of `filecontent` go, decided when the part starts. */
type FileSink =
  | { kind: 'write'; session: Session; offset: number; expected: number; handle?: FileHandle; pending: Buffer[]; pendingBytes: number; written: number }
  | { kind: 'collect'; chunks: Buffer[]; size: number }
  | { kind: 'ignore'; size: number };

const WRITE_BATCH = 512 * 1024;

async function flush(sink: Extract<FileSink, { kind: 'write' }>, uploads: Uploads, onOpen: (h: FileHandle) => void): Promise<void> {
  if (sink.pendingBytes === 0) return;
  sink.handle ??= await uploads.openPart(sink.session);
  onOpen(sink.handle);
  const buffers = sink.pending;
  const bytes = sink.pendingBytes;
  sink.pending = [];
  sink.pendingBytes = 0;
  await sink.handle.writev(buffers, sink.offset + sink.written);
  sink.written += bytes;
}

function parseOffset(text: string | undefined): number {
  return text !== undefined && /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
}

/** Takes the one-writer right to a slice of a session (see Session.writers); returns its release. */
function claimSlice(session: Session, offset: number, held: Array<() => void>): void {
  let settle!: () => void;
  session.writers.set(offset, new Promise<void>((resolve) => (settle = resolve)));
  held.push(() => {
    session.writers.delete(offset);
    settle();
  });
}

/** Reads the form and answers it; throws BodyTooLargeError / MultipartError for the caller to map. */
export async function handleUploadBody(
  ctx: UploadContext,
  file: FilePath,
  body: AsyncIterable<Buffer>,
  contentType: string | undefined,
  done: DoneData,
  info: { slice: boolean } = { slice: false },
): Promise<Reply> {
  // A slice's claim is held until its answer is decided (written and marked received, or failed).
  const held: Array<() => void> = [];
  try {
    return await readUploadBody(ctx, file, body, contentType, done, info, held);
  } finally {
    for (const release of held) release();
  }
}

async function readUploadBody(
  ctx: UploadContext,
  file: FilePath,
  body: AsyncIterable<Buffer>,
  contentType: string | undefined,
  done: DoneData,
  info: { slice: boolean },
  held: Array<() => void>,
): Promise<Reply> {
  const boundary = multipartBoundary(contentType);
  if (!boundary) {
    for await (const _ of body) void _; // drain, so the client can read the answer
    return fail(Codes.MULTIPART_INVALID, 'the body must be multipart/form-data with a boundary');
  }
  const fields: Record<string, string> = {};
  let sink: FileSink | undefined;
  let early: Reply | undefined;
  let handle: FileHandle | undefined;
  const { uploads } = ctx;

  const planWrite = (): FileSink => {
    if (fields.session === undefined || fields.offset === undefined) return { kind: 'collect', chunks: [], size: 0 };
    const session = uploads.sessions.get(fields.session);
    if (!session) {
      early = fail(Codes.SESSION_NOT_FOUND, 'unknown session');
      return { kind: 'ignore', size: 0 };
    }
    const offset = parseOffset(fields.offset);
    early = uploads.checkSlice(session, file, offset);
    // A copy of a slice another request is writing now is only collected: two writers of one slice
    // could otherwise land bytes in the file after it was marked received and hashed.
    if (early || uploads.isReceived(session, offset) || ctx.discard || session.writers.has(offset)) {
      return { kind: 'collect', chunks: [], size: 0 };
    }
    claimSlice(session, offset, held);
    return { kind: 'write', session, offset, expected: uploads.expectedLength(session, offset), pending: [], pendingBytes: 0, written: 0 };
  };

  try {
    await parseMultipart(body, boundary, {
      field(name, value) {
        fields[name] = value;
      },
      fileStart() {
        sink = planWrite();
      },
      async fileData(chunk) {
        if (!sink) return;
        if (sink.kind === 'ignore') {
          sink.size += chunk.length;
        } else if (sink.kind === 'collect') {
          sink.chunks.push(chunk);
          sink.size += chunk.length;
          if (early) sink = { kind: 'ignore', size: sink.size };
        } else {
          // Past the slice's length the request is wrong anyway: stop writing, keep counting.
          if (sink.written + sink.pendingBytes + chunk.length > sink.expected) {
            sink = { kind: 'ignore', size: sink.written + sink.pendingBytes + chunk.length };
            early = fail(Codes.SLICE_LENGTH_INVALID, 'the slice is longer than expected');
            return;
          }
          sink.pending.push(chunk);
          sink.pendingBytes += chunk.length;
          if (sink.pendingBytes >= WRITE_BATCH) await flush(sink, uploads, (h) => (handle = h));
        }
      },
      async fileEnd() {
        if (sink?.kind === 'write') await flush(sink, uploads, (h) => (handle = h));
      },
    });
  } finally {
    await handle?.close();
  }

  if (fields.op !== 'upload_slice') return fail(Codes.PARAM_INVALID, 'op must be upload_slice');
  const path = file.resourcePath;
  if (!sink) return create(ctx, file, fields, done);

  info.slice = true;
  count(ctx.stats, path, 'sliceRequests');
  if (fields.session === undefined || fields.session === '') return fail(Codes.SESSION_MISSING, 'a slice needs a session');
  if (early) return early;
  const session = uploads.sessions.get(fields.session);
  if (!session) return fail(Codes.SESSION_NOT_FOUND, 'unknown session');
  const offset = parseOffset(fields.offset);
  const wrongPlace = uploads.checkSlice(session, file, offset);
  if (wrongPlace) return wrongPlace;
  const expected = uploads.expectedLength(session, offset);
  const size = sink.kind === 'write' ? sink.written : sink.size;
  if (size !== expected) {
    return fail(Codes.SLICE_LENGTH_INVALID, `the slice at ${offset} must be ${expected} bytes, got ${size}`);
  }
  // Another request may be writing this very slice: wait for its answer, then look again.
  while (sink.kind === 'collect' && session.writers.has(offset)) await session.writers.get(offset);
  if (sink.kind === 'collect' && !uploads.isReceived(session, offset)) {
    claimSlice(session, offset, held);
    const data = Buffer.concat(sink.chunks);
    if (!ctx.discard) {
      // The fields came after the bytes: write them now.
      const handle = await uploads.openPart(session);
      try {
        await handle.write(data, 0, data.length, offset);
      } finally {
        await handle.close();
      }
    }
    return uploads.acceptSlice(session, offset, size, done, ctx.discard ? data : undefined);
  }
  return uploads.acceptSlice(session, offset, size, done);
}

async function create(ctx: UploadContext, file: FilePath, fields: Record<string, string>, done: DoneData): Promise<Reply> {
  count(ctx.stats, file.resourcePath, 'createRequests');
  const filesize = fields.filesize !== undefined && /^\d{1,16}$/.test(fields.filesize) ? Number(fields.filesize) : NaN;
  if (!Number.isSafeInteger(filesize)) return fail(Codes.PARAM_INVALID, 'filesize must be a non-negative integer');
  const sha = (fields.sha ?? '').toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(sha)) return fail(Codes.PARAM_INVALID, 'sha must be 40 hex characters (the file\'s SHA-1)');
  const metadata: Record<string, string> = {};
  for (const name of METADATA_FIELDS) if (fields[name] !== undefined) metadata[name] = fields[name];
  const session = fields.session === '' ? undefined : fields.session;
  return ctx.uploads.create(file, { sha, filesize, session, metadata, unfinished: ctx.unfinished?.() }, done);
}

