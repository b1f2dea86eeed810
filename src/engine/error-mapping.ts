// Turns whatever an adapter or the platform threw into the engine's one error type, and builds the
// few errors the engine itself raises (file unreadable, retries exhausted, signature refused twice).

import { abortedError, ErrorAction, ErrorKind, UploadError } from './errors.js';
import type { UploadErrorInfo } from './types.js';

const FILE_GONE =
  'The file can no longer be read: it was changed, moved or removed. Choose it again to continue where the upload stopped.';

export function toUploadError(e: unknown): UploadError {
  if (e instanceof UploadError) {
    // Whatever action an adapter chose, an unreadable file cannot be fixed by retrying.
    if (e.kind === ErrorKind.File && e.action !== ErrorAction.Fatal) {
      return new UploadError({ ...e, kind: e.kind, message: e.message || FILE_GONE, action: ErrorAction.Fatal, cause: e });
    }
    return e;
  }
  const name = typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
  if (name === 'NotReadableError' || name === 'NotFoundError') {
    return new UploadError({ kind: ErrorKind.File, code: String(name), message: FILE_GONE, action: ErrorAction.Fatal, cause: e });
  }
  if (name === 'AbortError') return abortedError(e);
  if (e instanceof TypeError) {
    // fetch rejects with a TypeError for network failures; an adapter should have classified it.
    return new UploadError({ kind: ErrorKind.Network, code: 'network', message: e.message, action: ErrorAction.Retry, cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new UploadError({ kind: ErrorKind.BadResponse, code: 'internal', message: `Unexpected failure: ${message}`, action: ErrorAction.Fatal, cause: e });
}

export function retriesExhausted(last: UploadError, attempts: number): UploadError {
  return new UploadError({
    kind: last.kind,
    code: last.code,
    status: last.status,
    serverMessage: last.serverMessage,
    message: `Gave up after ${attempts} retries without progress: ${last.message}`,
    // Still retryable: the user can press retry once the network or server is back.
    action: ErrorAction.Retry,
    cause: last,
  });
}

export function signatureRefusedTwice(last: UploadError): UploadError {
  return new UploadError({
    kind: last.kind,
    code: last.code,
    status: last.status,
    serverMessage: last.serverMessage,
    message: `The server refused the upload signature again right after it was renewed (${last.message}). Check the signing backend (appid, bucket, SecretId/SecretKey, clock).`,
    action: ErrorAction.Fatal,
    cause: last,
  });
}

export function shaRejectedTwice(last: UploadError): UploadError {
  return new UploadError({
    kind: last.kind,
    code: last.code,
    status: last.status,
    serverMessage: last.serverMessage,
    message: `The server rejected the file's SHA-1 again after hashing it anew (${last.message}). The file may be changing while it is uploaded.`,
    action: ErrorAction.Fatal,
    cause: last,
  });
}

export function errorInfo(e: UploadError): UploadErrorInfo {
  return { code: e.code, message: e.message, retryable: e.retryable, kind: e.kind };
}

/** Every slice acknowledged, yet no 'done': ask again with the session (the answer was lost). */
export function incompleteError(): UploadError {
  return new UploadError({
    kind: ErrorKind.Server, code: 'incomplete',
    message: 'Every slice was acknowledged but the server did not report the file complete',
    action: ErrorAction.Resume,
  });
}
