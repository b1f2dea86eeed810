// Turns what hashing throws (abort, unreadable file, worker failure) into the product's UploadError.

import { abortedError, ErrorAction, ErrorKind, UploadError } from '../engine/errors.js';

export function hashAbortError(reason?: unknown): UploadError {
  return abortedError(reason, 'Hashing was aborted.');
}

/**
 * NotReadableError / NotFoundError: the file changed, moved or lost permission after it was chosen;
 * reading again will fail the same way, so the user has to choose it again (fatal for this upload).
 * Anything else (the worker failed to load, WASM refused) may pass on a later try.
 */
export function hashFailure(name: string, message: string, cause?: unknown): UploadError {
  if (name === 'AbortError') return hashAbortError(cause);
  const unreadable = name === 'NotReadableError' || name === 'NotFoundError';
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
