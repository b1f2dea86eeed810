// Server-side signer and verifier of the upload_slice multi-use signature (PROTOCOL.md, "Signature").
// Its own package entry, kept out of the browser bundle because it needs the SecretKey. Written on
// Web Crypto (`crypto.subtle`, HMAC-SHA1) with no node: imports, so it runs in Node 20+, Deno, Bun and
// edge workers alike.

import {
  base64ToBytes,
  buildPlainText,
  bytesToBase64,
  decodeSignature,
  type SignatureFields,
} from '../protocol/signature-format.js';

export type { SignatureFields } from '../protocol/signature-format.js';

/** Tencent caps a multi-use signature's lifetime at three months; 90 days is the safe reading. */
export const MAX_SIGNATURE_LIFETIME_SECONDS = 90 * 24 * 3600;

export interface SignOptions {
  appid: string;
  bucket: string;
  secretId: string;
  secretKey: string;
  /** Lifetime from `now`, in seconds (default 3600). Ignored when `expires` is given. */
  expiresInSeconds?: number;
  /** Absolute expiry, Unix seconds. */
  expires?: number;
  /** The signing time in milliseconds since the epoch (Date.now() style); default: now. */
  now?: number;
  /** The `r` value: an unsigned integer of at most 10 digits; default: a random 32-bit integer. */
  random?: number | (() => number);
}

export interface VerifyOptions {
  secretKey: string;
  /** The appid and bucket the request addresses: the signature must be for them (-81 otherwise). */
  appid: string;
  bucket: string;
  /** The checking time in milliseconds since the epoch; default: now. */
  now?: number;
}

export type VerifyResult =
  | { ok: true; fields: SignatureFields }
  | { ok: false; code: -96 | -97 | -70 | -81; reason: string };

const encoder = new TextEncoder();

// Importing the key costs more than the HMAC itself; the server verifies every slice with one key.
const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secretKey: string): Promise<CryptoKey> {
  let key = keyCache.get(secretKey);
  if (!key) {
    if (keyCache.size >= 16) keyCache.clear();
    key = crypto.subtle.importKey('raw', encoder.encode(secretKey), { name: 'HMAC', hash: 'SHA-1' }, false, [
      'sign',
    ]);
    keyCache.set(secretKey, key);
  }
  return key;
}

async function hmacSha1(secretKey: string, data: Uint8Array): Promise<Uint8Array> {
  const signature = await crypto.subtle.sign('HMAC', await hmacKey(secretKey), data as Uint8Array<ArrayBuffer>);
  return new Uint8Array(signature);
}

/** Compares every byte whatever the first difference, so timing does not reveal the right HMAC. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

// '&' or '=' in a value would change how the plain text splits into fields: refuse them outright.
function checkField(label: string, value: string): void {
  if (value === '' || /[&=\s]/.test(value)) {
    throw new TypeError(`signUploadSignature: ${label} must be non-empty and contain no '&', '=' or spaces`);
  }
}

function randomUint32(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
}

/** The multi-use upload signature: Base64(HMAC-SHA1(SecretKey, plain) || plain). */
export async function signUploadSignature(options: SignOptions): Promise<string> {
  const { appid, bucket, secretId, secretKey } = options;
  checkField('appid', appid);
  checkField('bucket', bucket);
  checkField('secretId', secretId);
  if (secretKey === '') throw new TypeError('signUploadSignature: secretKey is empty');
  const t = Math.floor((options.now ?? Date.now()) / 1000);
  const e = options.expires ?? t + (options.expiresInSeconds ?? 3600);
  if (!Number.isSafeInteger(e) || e <= t) {
    throw new RangeError('signUploadSignature: the expiry must be an integer after the signing time');
  }
  if (e - t > MAX_SIGNATURE_LIFETIME_SECONDS) {
    throw new RangeError('signUploadSignature: the expiry may be at most 3 months (90 days) ahead');
  }
  const r = typeof options.random === 'function' ? options.random() : (options.random ?? randomUint32());
  if (!Number.isSafeInteger(r) || r < 0 || r > 9_999_999_999) {
    throw new RangeError('signUploadSignature: random must be an unsigned integer of at most 10 digits');
  }
  const plain = encoder.encode(buildPlainText({ a: appid, k: secretId, e, t, r: String(r), f: '', b: bucket }));
  const hmac = await hmacSha1(secretKey, plain);
  const out = new Uint8Array(hmac.length + plain.length);
  out.set(hmac, 0);
  out.set(plain, hmac.length);
  return bytesToBase64(out);
}

/**
 * Checks a signature as the upload server does. Codes: -70 empty, -97 not decodable or HMAC wrong
 * (or a lifetime over 3 months), -81 signed for another appid/bucket, -96 expired.
 */
export async function verifyUploadSignature(signature: string, options: VerifyOptions): Promise<VerifyResult> {
  const text = (signature ?? '').trim();
  if (text === '') return { ok: false, code: -70, reason: 'the signature is empty' };
  const decoded = decodeSignature(text);
  if (!decoded) return { ok: false, code: -97, reason: 'the signature is not a decodable upload signature' };
  // The HMAC covers the plain text's exact bytes, not a re-encoding of the decoded string.
  const bytes = base64ToBytes(text);
  const expected = await hmacSha1(options.secretKey, bytes.subarray(20));
  if (!constantTimeEqual(expected, bytes.subarray(0, 20))) {
    return { ok: false, code: -97, reason: 'the signature HMAC does not match (wrong key or altered text)' };
  }
  const { fields } = decoded;
  if (fields.e - fields.t > MAX_SIGNATURE_LIFETIME_SECONDS) {
    return { ok: false, code: -97, reason: 'the signature lifetime exceeds 3 months' };
  }
  if (fields.a !== options.appid || fields.b !== options.bucket) {
    return {
      ok: false,
      code: -81,
      reason: `the signature is for appid ${fields.a} / bucket ${fields.b}, not ${options.appid} / ${options.bucket}`,
    };
  }
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (fields.e <= now) return { ok: false, code: -96, reason: `the signature expired at ${fields.e}` };
  return { ok: true, fields };
}
