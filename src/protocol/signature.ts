// Signatures for uploads: asked from the embedder's backend (a URL) or function (signature-source.ts),
// checked (decodable, for the asked appid/bucket, not expired), cached per scope in memory
// only, renewed ahead of expiry, and shared between concurrent callers so that one burst of slices
// asks the backend once. Never persisted: a signature is a credential.

import { raceAbort } from '../engine/abort-race.js';
import { abortedError, ErrorAction, UploadError } from '../engine/errors.js';
import type { SignatureContext, SignatureFunction, SignatureReason, SignatureScope, Signer } from '../engine/types.js';
import { decodeSignature } from './signature-format.js';
import { askSource, signatureError } from './signature-source.js';

export { signatureFromBody } from './signature-source.js';

export interface SignerOptions {
  /** A URL (GET ?appid&bucket&path, body: the signature or `{"signature": "..."}`) or a function. */
  source: string | SignatureFunction;
  fetch?: typeof fetch;
  /** The local clock in ms (tests pass a fake one). */
  now?: () => number;
  /** Renew when this fraction of the signature's lifetime has passed. Default 0.8. */
  renewAt?: number;
  /** How long the signature endpoint may take (ms). Default 30 000. */
  timeoutMs?: number;
}

/** After a failed early renewal, how long the still-valid signature is used before asking again. */
const RENEW_RETRY_MS = 10_000;

interface CachedSignature {
  signature: string;
  /** Local time (ms) at which to ask for a new one. */
  renewAtMs: number;
  /** Local time (ms) at which the server stops accepting it. */
  expiresAtMs: number;
}

interface Pending {
  key: string;
  reason: SignatureReason;
  /** For reason 'rejected': the signature the server refused. */
  rejected?: string;
  promise: Promise<CachedSignature>;
  /** Its signal is the source's `ctx.signal`: aborted once every caller waiting for it gave up. */
  controller: AbortController;
  waiting: number;
}

/** A source's answer that is a signature, but one uploads cannot use: it is asked once more. */
function misissued(message: string): UploadError {
  return signatureError(message, undefined, ErrorAction.RenewSignature);
}
const isMisissued = (e: unknown): e is UploadError => e instanceof UploadError && e.action === ErrorAction.RenewSignature;

export function createSigner(options: SignerOptions): Signer {
  const now = options.now ?? Date.now;
  // Outside (0, 1] the option makes no sense (renew before receiving, or after expiry): use the default.
  const renewAt = options.renewAt !== undefined && options.renewAt > 0 && options.renewAt <= 1 ? options.renewAt : 0.8;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const source = options.source;
  // In memory only, keyed by scope: nothing here is ever written to any storage.
  const cache = new Map<string, CachedSignature>();
  const pending = new Map<string, Pending>();

  const keyOf = (scope: SignatureScope): string => JSON.stringify([scope.appid, scope.bucket, scope.path]);

  /**
   * Asks the source and checks the answer against the scope. A signature for another appid or
   * bucket, or a single-use one, is asked for once more (reason 'rejected'); the same again is a
   * backend that signs wrongly, which no retry fixes: a fatal error that says so.
   */
  async function obtain(scope: SignatureScope, reason: SignatureReason, signal: AbortSignal): Promise<CachedSignature> {
    try {
      return await askAndCheck(scope, reason, signal);
    } catch (error) {
      if (!isMisissued(error)) throw error;
      try {
        return await askAndCheck(scope, 'rejected', signal);
      } catch (again) {
        if (!isMisissued(again)) throw again;
        throw signatureError(
          `${again.message} Asked again, the same: the signing backend needs fixing.`,
          again,
          ErrorAction.Fatal,
        );
      }
    }
  }

  async function askAndCheck(scope: SignatureScope, reason: SignatureReason, signal: AbortSignal): Promise<CachedSignature> {
    const ctx: SignatureContext = { appid: scope.appid, bucket: scope.bucket, path: scope.path, reason, signal };
    const answer = await askSource(source, ctx, { fetch: options.fetch, timeoutMs });
    // Base64 wrapped into lines (Java's MIME encoder, PHP's chunk_split) is still the same signature,
    // but whitespace cannot go into the Authorization header.
    const signature = answer.replace(/\s+/g, '');
    const receivedAt = now();
    if (signature === '') throw signatureError('The signature source returned an empty signature.');
    const decoded = decodeSignature(signature);
    if (!decoded) throw signatureError('The signature source returned something that is not a valid signature.');
    const { a, b, e, t } = decoded.fields;
    if (a !== scope.appid || b !== scope.bucket) {
      throw misissued(
        `The signature is for appid ${a} and bucket ${b}, not for appid ${scope.appid} and bucket ${scope.bucket}.`,
      );
    }
    if (e <= t) {
      throw misissued(
        e === 0
          ? 'The signature is a single-use one (e=0); uploads need a multi-use signature.'
          : 'The signature expires before it was signed (e is not after t).',
      );
    }
    // The signer's clock may differ from this one: measure the lifetime from the signer's own `t`.
    // `t` is whole seconds, so the signing happened up to 1 s after it: counting from t + 1 never
    // overestimates the lifetime (with t, a 3 s signature was renewed after the server expired it).
    const skewMs = receivedAt - (t + 1) * 1000;
    const expiresAtMs = e * 1000 + skewMs;
    return { signature, expiresAtMs, renewAtMs: receivedAt + renewAt * (expiresAtMs - receivedAt) };
  }

  /** Starts (or joins) the one request for this scope; the result replaces the cached signature. */
  function request(scope: SignatureScope, reason: SignatureReason, rejected?: string): Pending {
    const key = keyOf(scope);
    const controller = new AbortController();
    const promise = obtain(scope, reason, controller.signal).then((fresh) => {
      // One entry per path: drop the expired ones so a long session with many files stays small.
      const at = now();
      for (const [other, entry] of cache) if (entry.expiresAtMs <= at) cache.delete(other);
      cache.set(key, fresh);
      return fresh;
    });
    const entry: Pending = { key, reason, rejected, promise, controller, waiting: 0 };
    pending.set(key, entry);
    const clear = (): void => {
      if (pending.get(key) === entry) pending.delete(key);
    };
    promise.then(clear, clear);
    return entry;
  }

  /** Counts a caller as waiting for `entry`; when every waiting caller has aborted, so is the request. */
  function wait(entry: Pending, signal?: AbortSignal): Promise<CachedSignature> {
    entry.waiting++;
    if (signal) {
      const onAbort = (): void => {
        if (--entry.waiting > 0) return;
        if (pending.get(entry.key) === entry) pending.delete(entry.key);
        entry.controller.abort(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal.removeEventListener('abort', onAbort);
      entry.promise.then(done, done);
    }
    return entry.promise;
  }

  async function get(scope: SignatureScope, signal?: AbortSignal): Promise<string> {
    const key = keyOf(scope);
    const cached = cache.get(key);
    const at = now();
    if (cached && at < cached.renewAtMs) return cached.signature;
    const inFlight = pending.get(key) ?? request(scope, cached ? 'expiring' : 'initial');
    try {
      return (await wait(inFlight, signal)).signature;
    } catch (error) {
      // A renewal ahead of time failed, but the old signature is still good: keep uploading with it,
      // and give the source a pause before the next try instead of asking again on every slice.
      const later = now();
      if (cached && later < cached.expiresAtMs && cache.get(key) === cached) {
        cached.renewAtMs = Math.min(cached.expiresAtMs, Math.max(cached.renewAtMs, later + RENEW_RETRY_MS));
        return cached.signature;
      }
      throw error;
    }
  }

  async function renew(scope: SignatureScope, rejected: string, signal?: AbortSignal): Promise<string> {
    const key = keyOf(scope);
    const usable = (entry: CachedSignature | undefined): entry is CachedSignature =>
      entry !== undefined && entry.signature !== rejected && now() < entry.expiresAtMs;
    const cached = cache.get(key);
    // Another caller already replaced the refused signature: use the new one, ask nobody.
    if (usable(cached)) return cached.signature;
    let inFlight = pending.get(key);
    if (inFlight && !(inFlight.reason === 'rejected' && inFlight.rejected === rejected)) {
      // A renewal for another reason is under way; its answer is new unless the source repeats itself.
      const answer = await wait(inFlight, signal).catch(() => undefined);
      if (answer && answer.signature !== rejected) return answer.signature;
      inFlight = pending.get(key);
    }
    if (!inFlight || !(inFlight.reason === 'rejected' && inFlight.rejected === rejected)) {
      const current = cache.get(key);
      if (usable(current)) return current.signature;
      // The refused signature must not be handed out again while its replacement is on the way.
      cache.delete(key);
      inFlight = request(scope, 'rejected', rejected);
    }
    return (await wait(inFlight, signal)).signature;
  }

  return {
    // An already aborted caller starts nothing; a later abort rejects this caller alone and leaves
    // the shared request running while another caller still waits for it.
    get: (scope, signal) => raceAbort(signal, () => get(scope, signal), { error: abortedError }),
    renew: (scope, rejected, signal) => raceAbort(signal, () => renew(scope, rejected, signal), { error: abortedError }),
  };
}
