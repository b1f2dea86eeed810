// Where signatures come from: the embedder's endpoint (GET ?appid&bucket&path, answering the signature
// as text or JSON) or the embedder's function. Turns every way these fail into one UploadError of kind
// 'signature' that says what was wrong. Caching and renewal live in signature.ts.

import { raceAbort } from '../engine/abort-race.js';
import { ErrorAction, ErrorKind, UploadError } from '../engine/errors.js';
import type { SignatureContext, SignatureFunction } from '../engine/types.js';
import { excerpt, formatLimit } from './message-text.js';

export interface SourceOptions {
  fetch?: typeof fetch;
  /** How long the endpoint or the function may take (ms). */
  timeoutMs: number;
}

/** Every failure of a source is retryable by default: backends come back, tokens get refreshed. */
export function signatureError(message: string, cause?: unknown, action: ErrorAction = ErrorAction.Retry): UploadError {
  return new UploadError({ kind: ErrorKind.Signature, code: 'signature', message, action, cause });
}

/** `{"signature": "..."}`, also accepted inside a `data` envelope (`{"code":0,"data":{...}}`). */
function readSignatureField(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const value = (json as { signature?: unknown }).signature;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Reads the signature out of the endpoint's body: plain text, a JSON string, or `{"signature"}`. */
export function signatureFromBody(body: string, contentType: string): string {
  const text = body.trim();
  if (text === '') throw signatureError('The signature endpoint answered with an empty body.');
  if (/html/i.test(contentType) || /^<(!doctype|html|head|body|\?xml|[a-z])/i.test(text)) {
    throw signatureError('The signature endpoint answered an HTML page instead of a signature.');
  }
  if (/json/i.test(contentType) || text.startsWith('{') || text.startsWith('"')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      // A backend that labels a plain signature as JSON: the text is still usable.
      if (/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return text;
      throw signatureError(`The signature endpoint answered JSON that cannot be read: ${excerpt(text)}`, cause);
    }
    if (typeof json === 'string') return json.trim();
    const value = readSignatureField(json) ?? readSignatureField((json as { data?: unknown } | null)?.data);
    if (value === undefined) {
      throw signatureError('The signature endpoint answered JSON without a "signature" string.');
    }
    return value;
  }
  return text;
}

async function fromUrl(url: string, ctx: SignatureContext, options: SourceOptions): Promise<string> {
  let target: URL;
  try {
    // Relative URLs resolve against the page; in Node there is no page and they must be absolute.
    const base = (globalThis as { location?: { href?: string } }).location?.href;
    target = base ? new URL(url, base) : new URL(url);
  } catch (cause) {
    throw signatureError(`The signature URL ${JSON.stringify(url)} is not a valid URL.`, cause, ErrorAction.Fatal);
  }
  // set(), not append(): these three are ours; any other query parameter of the URL is kept.
  target.searchParams.set('appid', ctx.appid);
  target.searchParams.set('bucket', ctx.bucket);
  target.searchParams.set('path', ctx.path);
  const doFetch = options.fetch ?? globalThis.fetch;
  let response: Response;
  let body: string;
  try {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
    response = await doFetch(target.href, {
      method: 'GET',
      credentials: 'same-origin',
      headers: { Accept: 'text/plain, application/json' },
      signal,
    });
    body = await response.text();
  } catch (cause) {
    const timedOut = (cause as { name?: string } | null)?.name === 'TimeoutError';
    throw signatureError(
      timedOut
        ? `The signature endpoint did not answer within ${formatLimit(options.timeoutMs)}.`
        : 'Could not reach the signature endpoint (network error or blocked by CORS).',
      cause,
    );
  }
  if (!response.ok) {
    const detail = /^\s*</.test(body) ? 'an HTML page' : excerpt(body);
    throw signatureError(`HTTP ${response.status} from the signature endpoint${detail ? `: ${detail}` : ''}.`);
  }
  return signatureFromBody(body, response.headers.get('content-type') ?? '');
}

async function fromFunction(fn: SignatureFunction, ctx: SignatureContext, timeoutMs: number): Promise<string> {
  let value: unknown;
  // The function's ctx.signal is aborted when it times out, so the embedder's own fetch stops too.
  const gaveUp = new AbortController();
  const timer = setTimeout(
    () => gaveUp.abort(signatureError(`The signature function did not answer within ${formatLimit(timeoutMs)}.`)),
    timeoutMs,
  );
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, gaveUp.signal]) : gaveUp.signal;
  try {
    // Promise.resolve: a function that returns a plain string (not a Promise) is accepted too.
    value = await raceAbort(gaveUp.signal, () => Promise.resolve(fn({ ...ctx, signal })));
  } catch (cause) {
    if (cause instanceof UploadError) throw cause;
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    throw signatureError(`The signature function failed${detail}.`, cause);
  } finally {
    clearTimeout(timer);
  }
  if (typeof value !== 'string') {
    throw signatureError(`The signature function returned ${value === null ? 'null' : typeof value}, not a string.`);
  }
  return value.trim();
}


/** Asks the source once for the signature text (not yet checked: see createSigner). */
export function askSource(
  source: string | SignatureFunction,
  ctx: SignatureContext,
  options: SourceOptions,
): Promise<string> {
  return typeof source === 'string' ? fromUrl(source, ctx, options) : fromFunction(source, ctx, options.timeoutMs);
}
