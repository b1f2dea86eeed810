// Turns whatever an adapter or the platform threw into the engine's one error type, and builds the
// few errors the engine itself raises (file unreadable, retries exhausted, signature refused twice).

import { abortedError, ErrorAction, ErrorKind, UploadError } from './errors.js';
import type { UploadErrorInfo } from './types.js';

const FILE_GONE =
  'The file can no longer be read: it was changed, moved or removed. Choose it again to continue where the upload stopped.';

function errorName(e: unknown): unknown {
  return typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
}

/**
 * Whether `e`, a failed read of the chosen file (or its `{ name }` as a worker reports it), means the
 * file changed, moved or was removed after it was chosen, so reading it again fails the same way.
 * Chromium names that (NotReadableError, NotFoundError); Firefox rejects arrayBuffer() of a deleted
 * file with an AbortError although nobody aborted. So an AbortError is the file's fault only while
 * `signal`, the reader's own, is not aborted: the one rule for the hasher and the engine.
 */
export function isUnreadableFile(e: unknown, signal?: AbortSignal): boolean {
  const name = errorName(e);
  if (name === 'NotReadableError' || name === 'NotFoundError') return true;
  return name === 'AbortError' && !signal?.aborted;
}

/** A file error for a failed or short read of the chosen file: fatal, choosing the file again goes on. */
export function fileUnreadableError(cause: unknown): UploadError {
  const name = errorName(cause);
  const code = name === 'NotReadableError' || name === 'NotFoundError' ? name : 'file-unreadable';
  return new UploadError({ kind: ErrorKind.File, code, message: FILE_GONE, action: ErrorAction.Fatal, cause });
}

/** Resolves while the chosen file can still be read; rejects with the file error once it cannot. */
export type ReadabilityCheck = (signal?: AbortSignal) => Promise<void>;

/**
 * A file this small is read whole by the check rather than through a slice of its last byte: in
 * Chromium every `slice()` is a synchronous round trip to the browser process (~0.4 ms of the main
 * thread), while reading a few hundred KiB is asynchronous and cheap (bench/README.md, "Many files").
 */
export const READ_WHOLE_MAX_BYTES = 256 * 1024;

/**
 * A check of `file` to run again and again: it reads the file's last byte (a small file whole), and
 * fails with the file error if that read fails as an unreadable file (deleted, moved, or changed:
 * Chromium refuses reads of a file modified since it was chosen) or comes back short (Firefox reads a
 * file that shrank on disk short, without an error; a fetch with such a body waits for bytes that
 * never come). The byte is sliced once, not per check.
 */
export function readabilityCheck(file: Blob): ReadabilityCheck {
  const size = file.size;
  if (size === 0) return () => Promise.resolve();
  const whole = size <= READ_WHOLE_MAX_BYTES;
  const part = whole ? file : file.slice(size - 1);
  return async (signal) => {
    let read: ArrayBuffer;
    try {
      read = await part.arrayBuffer();
    } catch (e) {
      throw isUnreadableFile(e, signal) ? fileUnreadableError(e) : toUploadError(e);
    }
    if (read.byteLength !== part.size) {
      throw fileUnreadableError(new DOMException(`the file ends before byte ${size}`, 'NotReadableError'));
    }
  };
}

/**
 * How long a request that failed waits for its readability check to answer. Firefox's read of a
 * deleted file sometimes never settles (seen in the e2e: the slice's fetch failed at once with
 * NS_ERROR_FILE_NOT_FOUND, and the one-byte `arrayBuffer()` of the file was still pending 30 s later),
 * and waiting for it hung the upload in 'uploading'. A read of one byte of a file that is there
 * answers in milliseconds (450 ms the worst measured under load): a check still pending this long
 * after its request failed is the file's fault. The error is fatal but loses nothing (the stored
 * session stays; choosing the file again goes on).
 */
export const CHECK_AFTER_FAILURE_MS = 3000;

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * `check`'s verdict (the error it resolves to, or undefined: the file reads), or the file error once
 * it has not answered within CHECK_AFTER_FAILURE_MS on `sleep`. For a check awaited after a request
 * failed, the one place that bound is applied.
 */
export async function verdictWithin(check: Promise<unknown>, signal: AbortSignal, sleep: Sleep): Promise<unknown> {
  const stopWaiting = new AbortController();
  const silent = sleep(CHECK_AFTER_FAILURE_MS, AbortSignal.any([signal, stopWaiting.signal])).then(
    () => fileUnreadableError(new Error(`a read of the file did not answer within ${CHECK_AFTER_FAILURE_MS} ms of a failed request`)),
    () => undefined, // stopped: the check answered first, or a pause or cancel (the caller's signal)
  );
  try {
    return await Promise.race([check, silent]);
  } finally {
    stopWaiting.abort();
  }
}

/**
 * Sends a request for a part of the file with `readable` alongside, not before it: the check is a
 * read of the file, a round trip to the browser's file system, and awaited before each slice it left
 * that slice's lane idle for as long every time (bench/README.md, "Upload"). The request is started
 * first (the protocol client calls fetch at once), then the check. A check that fails aborts the
 * request (Firefox's fetch of an unreadable body would wait for its timeout) and is the error thrown,
 * whatever the request did meanwhile; a request that succeeded first stands (the server has the
 * bytes; the next slice's check finds the file gone). A request that failed waits for the check at
 * most CHECK_AFTER_FAILURE_MS on `sleep` (the engine's timer).
 */
export async function sendWhileReadable<T>(
  readable: ReadabilityCheck,
  signal: AbortSignal,
  send: (signal: AbortSignal) => Promise<T>,
  sleep: Sleep,
): Promise<T> {
  const unreadable = new AbortController();
  let sent: Promise<T>;
  try {
    sent = send(AbortSignal.any([signal, unreadable.signal]));
  } catch (e) {
    sent = Promise.reject(e);
  }
  const check = readable(signal).then(
    () => undefined,
    (e: unknown) => {
      unreadable.abort(e);
      return e;
    },
  );
  try {
    return await sent;
  } catch (e) {
    if (signal.aborted) throw e; // a pause or cancel: what the file holds no longer matters
    throw (await verdictWithin(check, signal, sleep)) ?? e;
  }
}

export function toUploadError(e: unknown): UploadError {
  if (e instanceof UploadError) {
    // Whatever action an adapter chose, an unreadable file cannot be fixed by retrying.
    if (e.kind === ErrorKind.File && e.action !== ErrorAction.Fatal) {
      return new UploadError({ ...e, kind: e.kind, message: e.message || FILE_GONE, action: ErrorAction.Fatal, cause: e });
    }
    return e;
  }
  // Without the signal an AbortError here cannot be told apart from the caller's: reads of the file
  // go through readabilityCheck, which knows it.
  if (errorName(e) === 'AbortError') return abortedError(e);
  if (isUnreadableFile(e)) return fileUnreadableError(e);
  if (e instanceof TypeError) {
    // fetch rejects with a TypeError for network failures; an adapter should have classified it.
    return new UploadError({ kind: ErrorKind.Network, code: 'network', message: e.message, action: ErrorAction.Retry, cause: e });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new UploadError({ kind: ErrorKind.BadResponse, code: 'internal', message: `Unexpected failure: ${message}`, action: ErrorAction.Fatal, cause: e });
}

/** A failure the engine gives up on: the same code and server words, its own message and action. */
function giveUp(last: UploadError, message: string, action: ErrorAction = ErrorAction.Fatal): UploadError {
  const { kind, code, status, serverMessage } = last;
  return new UploadError({ kind, code, status, serverMessage, message, action, cause: last });
}

export function retriesExhausted(last: UploadError, attempts: number): UploadError {
  // Still retryable: the user can press retry once the network or server is back.
  return giveUp(last, `Gave up after ${attempts} retries without progress: ${last.message}`, ErrorAction.Retry);
}

export function signatureRefusedTwice(last: UploadError): UploadError {
  return giveUp(
    last,
    `The server refused the upload signature again right after it was renewed (${last.message}). Check the signing backend (appid, bucket, SecretId/SecretKey, clock).`,
  );
}

export function shaRejectedTwice(last: UploadError): UploadError {
  return giveUp(
    last,
    `The server rejected the file's SHA-1 again after hashing it anew (${last.message}). The file may be changing while it is uploaded.`,
  );
}

/** -4019 without a session in the answer, and none of ours: nothing this upload can continue. */
export function unfinishedElsewhere(last: UploadError): UploadError {
  return giveUp(
    last,
    `The server says this file is already being uploaded here, but not which upload session it is: choose it again once that upload has finished (${last.message})`,
  );
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
