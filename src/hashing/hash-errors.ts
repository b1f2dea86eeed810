// Turns what hashing throws (abort, unreadable file, worker failure) into the product's UploadError.

import { isUnreadableFile } from '../engine/error-mapping.js';
import { abortedError, ErrorAction, ErrorKind, UploadError } from '../engine/errors.js';

export function hashAbortError(reason?: unknown): UploadError {
  return abortedError(reason, 'Hashing was aborted.');
}

/**
 * The page cannot hash at all here: the worker did not start (a CSP without `worker-src`, a missing
 * file) or WebAssembly was refused (a CSP without 'wasm-unsafe-eval'). Waiting does not change a page's
 * policy, so nothing retries it on its own (fatal); the element still offers Retry, which tries the
 * worker and the main-thread fallback afresh.
 */
export function hashingUnavailable(message: string, cause?: unknown): UploadError {
  return new UploadError({
    kind: ErrorKind.HashingUnavailable,
    code: 'hashing-unavailable',
    message: `Hashing is not possible on this page: ${message}`,
    action: ErrorAction.Fatal,
    cause,
  });
}

/** Whether an error of hashing means "not here" (no worker, no WebAssembly) rather than "not this file". */
export function isHashingUnavailable(error: unknown): boolean {
  return error instanceof UploadError && error.kind === ErrorKind.HashingUnavailable;
}

/**
 * An unreadable file (isUnreadableFile: it changed, moved or lost permission after it was chosen):
 * reading again will fail the same way, so the user has to choose it again (fatal for this upload).
 * Anything else (the worker crashed) may pass on a later try. Our own aborts never come here (the
 * facades reject those themselves, and a cancelled worker job reports nothing), so an AbortError is
 * the file's (Firefox's read of a deleted file).
 */
export function hashFailure(name: string, message: string, cause?: unknown): UploadError {
  // The worker never started, or WebAssembly was refused (a CSP), in the worker or on the main thread.
  const notHere = name === 'WorkerStartError' || name === 'CompileError' || /WebAssembly/.test(message);
  if (notHere) return hashingUnavailable(message, cause);
  const unreadable = isUnreadableFile({ name });
  return new UploadError({
    kind: ErrorKind.File,
    code: unreadable ? 'file-unreadable' : 'hash-failed',
    message: unreadable
      ? `The file could not be read (it may have changed or moved): ${message}`
      : `Hashing failed: ${message}`,
    action: unreadable ? ErrorAction.Fatal : ErrorAction.Retry,
    cause,
  });
}

export function toHashError(error: unknown, signal?: AbortSignal): UploadError {
  if (error instanceof UploadError) return error;
  if (signal?.aborted) return hashAbortError(signal.reason);
  if (error instanceof Error) return hashFailure(error.name, error.message, error);
  return hashFailure('Error', String(error), error);
}
