// The upload_slice client: the first request (create or resume) and one request per slice, over
// fetch with multipart FormData, each with the caller's AbortSignal and its own timeout. Every
// failure becomes one UploadError (see response.ts for the server's codes).

import { raceAbort } from '../engine/abort-race.js';
import { abortedError, ErrorAction, ErrorKind, UploadError } from '../engine/errors.js';
import type {
  CreateRequest,
  CreateResult,
  Metadata,
  ProtocolClient,
  SliceRequest,
  SliceResult,
  UploadResult,
} from '../engine/types.js';
import { formatLimit } from './message-text.js';
import { classifyResponse } from './response.js';

// The classification is the client's public behaviour too: callers and tests may import it from here.
export { classifyResponse, errorFromCode, isTransientStatus } from './response.js';
import { buildFileUrl } from './url.js';

export const DEFAULT_ENDPOINT = 'https://web.video.myqcloud.com/files/v1';
export const DEFAULT_TIMEOUT_MS = 60_000;
const METADATA_FIELDS = ['video_title', 'video_desc', 'video_cover', 'biz_attr', 'magicContext'] as const satisfies ReadonlyArray<
  keyof Metadata
>;

/** The slowest link a slice is given time for before it counts as stalled. */
export const DEFAULT_MIN_BYTES_PER_SECOND = 64 * 1024;

export interface ProtocolClientOptions {
  /** Base URL, default Tencent's `https://web.video.myqcloud.com/files/v1`. */
  endpoint?: string;
  fetch?: typeof fetch;
  /** Timeout of the first request, and the floor of a slice's timeout (ms). Default 60 000. */
  timeoutMs?: number;
  /** Floor of a slice's timeout (ms); default `timeoutMs`. */
  sliceTimeoutFloorMs?: number;
  /** A slice gets at least size / this many seconds (a 16 MiB slice: 256 s at 64 KiB/s). */
  minBytesPerSecond?: number;
}

/** The timeout of one slice request: a floor, growing with the slice so slow links still finish. */
export function sliceTimeoutMs(bytes: number, floorMs: number, minBytesPerSecond: number): number {
  return Math.max(floorMs, Math.ceil((bytes / minBytesPerSecond) * 1000));
}

function badAnswer(message: string, status: number): UploadError {
  return new UploadError({
    kind: ErrorKind.BadResponse,
    code: 'bad-response',
    message: `The upload server sent an answer this client cannot use: ${message}.`,
    action: ErrorAction.Fatal,
    status,
  });
}

/** A non-negative safe integer, from a number or a decimal string (int64 fields may come as text). */
function readCount(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    const n = Number(value);
    if (Number.isSafeInteger(n)) return n;
  }
  return undefined;
}

function readString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The completion fields, when the answer carries them (`access_url` is the one that must be there). */
function readResult(data: Record<string, unknown>, instant: boolean): UploadResult | undefined {
  const accessUrl = readString(data.access_url);
  if (accessUrl === undefined) return undefined;
  return {
    accessUrl,
    url: readString(data.url) ?? '',
    resourcePath: readString(data.resource_path) ?? '',
    instant,
  };
}

interface Sent {
  status: number;
  data: Record<string, unknown>;
}

export function createProtocolClient(options: ProtocolClientOptions = {}): ProtocolClient {
  const endpoint = options.endpoint ?? DEFAULT_ENDPOINT;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sliceFloorMs = options.sliceTimeoutFloorMs ?? timeoutMs;
  const minRate = options.minBytesPerSecond ?? DEFAULT_MIN_BYTES_PER_SECOND;
  // Resolved per call, not captured: tests and polyfills may replace the global fetch later.
  const doFetch = (input: string, init: RequestInit): Promise<Response> =>
    (options.fetch ?? globalThis.fetch)(input, init);

  async function send(url: string, form: FormData, signature: string, limitMs: number, signal?: AbortSignal): Promise<Sent> {
    if (signal?.aborted) throw abortedError(signal.reason);
    checkSignature(signature);
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('The request timed out.', 'TimeoutError'));
    }, limitMs);
    try {
      // No Content-Type: the browser adds multipart/form-data with its boundary itself.
      const response = await doFetch(url, {
        method: 'POST',
        headers: { Authorization: signature },
        body: form,
        signal: controller.signal,
      });
      // The body is read under the same timeout and signal: a server can stall mid-answer too.
      const text = await readBody(response, controller.signal);
      const classified = classifyResponse(response.status, text);
      if (!classified.ok) throw classified.error;
      return { status: response.status, data: classified.data };
    } catch (error) {
      if (error instanceof UploadError) throw error;
      if (signal?.aborted) throw abortedError(signal.reason);
      if (timedOut) {
        throw new UploadError({
          kind: ErrorKind.Timeout,
          code: 'timeout',
          message: `The upload server did not answer within ${formatLimit(limitMs)}.`,
          action: ErrorAction.Retry,
          cause: error,
        });
      }
      throw new UploadError({
        kind: ErrorKind.Network,
        code: 'network',
        // The browser reports offline, reset, DNS failure and a CORS refusal all as one TypeError.
        message: 'Could not reach the upload server (network error or blocked by CORS).',
        action: ErrorAction.Retry,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    async create(req: CreateRequest): Promise<CreateResult> {
      const url = buildFileUrl(endpoint, req.target, req.name);
      if (!Number.isSafeInteger(req.filesize) || req.filesize < 0) {
        throw new UploadError({
          kind: ErrorKind.Validation,
          code: 'invalid-size',
          message: `The file size ${req.filesize} is not a whole number of bytes.`,
          action: ErrorAction.Fatal,
        });
      }
      const form = new FormData();
      form.append('op', 'upload_slice');
      // String(n) of a safe integer is exact decimal: 5 GiB and 2^53-1 go out digit for digit.
      form.append('filesize', String(req.filesize));
      form.append('sha', req.sha);
      if (req.session) form.append('session', req.session);
      // Only the protocol's own fields: an object from plain JS may carry others that are not ours to send.
      for (const field of METADATA_FIELDS) {
        const value = req.metadata?.[field];
        if (typeof value === 'string' && value !== '') form.append(field, value);
      }

      const { status, data } = await send(url, form, req.signature, timeoutMs, req.signal);
      // Done on the first request: no byte of the file was sent by this request.
      const result = readResult(data, true);
      if (result) return { kind: 'done', result };

      const session = readString(data.session);
      const offset = readCount(data.offset);
      const sliceSize = readCount(data.slice_size);
      if (session === undefined) throw badAnswer('no "session"', status);
      if (offset === undefined || offset > req.filesize) {
        throw badAnswer(`"offset" ${JSON.stringify(data.offset)} is not a byte position within the file`, status);
      }
      if (sliceSize === undefined || sliceSize === 0) {
        throw badAnswer(`"slice_size" ${JSON.stringify(data.slice_size)} is not a positive whole number`, status);
      }
      return { kind: 'continue', session, offset, sliceSize };
    },

    async sendSlice(req: SliceRequest): Promise<SliceResult> {
      const url = buildFileUrl(endpoint, req.target, req.name);
      const form = new FormData();
      form.append('op', 'upload_slice');
      form.append('session', req.session);
      form.append('offset', String(req.offset));
      if (req.sha) form.append('sha', req.sha);
      // The Blob goes in as is (fetch streams it from disk; reading it here would copy the slice), and
      // last: a server that has already read session and offset can write the bytes as they arrive.
      form.append('filecontent', req.body, req.name);

      const limit = sliceTimeoutMs(req.body.size, sliceFloorMs, minRate);
      const { status, data } = await send(url, form, req.signature, limit, req.signal);
      const offset = readCount(data.offset);
      if (offset !== req.offset) {
        throw badAnswer(`the slice at offset ${req.offset} was answered with offset ${JSON.stringify(data.offset)}`, status);
      }
      // Some answers omit the session on a slice; when present it must be ours.
      const echoed = readString(data.session);
      if (echoed !== undefined && echoed !== req.session) {
        throw badAnswer(`the slice of session ${req.session} was answered for session ${echoed}`, status);
      }
      const session = echoed ?? req.session;
      const result = readResult(data, false);
      return result ? { kind: 'done', session, offset, result } : { kind: 'ack', session, offset };
    },
  };
}

/**
 * A header value must be printable ASCII, or fetch throws a TypeError that would pass for a network
 * error. A signature is Base64, so anything else is a broken one: renewing it is the way out.
 */
function checkSignature(signature: string): void {
  if (!/^[\x21-\x7e]+$/.test(signature)) {
    throw new UploadError({
      kind: ErrorKind.Signature,
      code: 'invalid-signature',
      message: signature === '' ? 'The upload signature is empty.' : 'The upload signature contains characters a signature cannot have.',
      action: ErrorAction.RenewSignature,
    });
  }
}

/**
 * The body text, given up when `signal` aborts. Browsers tie the body to the request's signal, but
 * not every fetch does (polyfills, mocks, embedders' wrappers): the race makes the timeout hold anyway.
 */
function readBody(response: Response, signal: AbortSignal): Promise<string> {
  return raceAbort(signal, () => response.text(), {
    onAbort: () => void response.body?.cancel().catch(() => undefined),
  });
}
