// The one error type of the product: whatever fails (server code, HTTP status, network, file, storage,
// validation) becomes an UploadError that says what happened and what the client does about it.

/** What a client does about a failure (PROTOCOL.md, "Error codes and what a client does"). */
export const ErrorAction = {
  /** Get a new signature and send the same request again. */
  RenewSignature: 'renew-signature',
  /** Forget the server session and start again with a first request (the sha is kept). */
  RestartSession: 'restart-session',
  /** The server's sha check failed: hash the file again and start over. */
  Rehash: 'rehash',
  /** Same sha, upload unfinished (-4019): send the first request again with the session. */
  Resume: 'resume',
  /** Transient: retry with exponential backoff and jitter. */
  Retry: 'retry',
  /** Stop this file; show the code and message. */
  Fatal: 'fatal',
} as const;
export type ErrorAction = (typeof ErrorAction)[keyof typeof ErrorAction];

/**
 * Where a failure came from. `code` is the server's numeric code for `server`, the HTTP status for
 * `http`, and a stable string for the other kinds.
 */
export const ErrorKind = {
  Server: 'server', // a JSON answer with a non-zero code
  Http: 'http', // an HTTP error status without a usable JSON body
  BadResponse: 'bad-response', // 2xx/4xx/5xx with a body that is not the protocol's JSON
  Network: 'network', // fetch rejected: offline, connection reset, DNS, or CORS (the browser hides which)
  Timeout: 'timeout', // no answer within the request timeout
  Aborted: 'aborted', // the caller aborted (pause, cancel)
  Signature: 'signature', // the signature source failed or returned something unusable
  File: 'file', // the file could not be read (NotReadableError) or changed on disk
  Storage: 'storage', // IndexedDB trouble (reported as a warning, never fails an upload)
  Validation: 'validation', // rejected before upload: size, type, count, name, duplicate
  Locked: 'locked', // the same file is being uploaded in another tab
  HashingUnavailable: 'hashing-unavailable', // the page refuses the hash worker and WebAssembly (a CSP)
} as const;
export type ErrorKind = (typeof ErrorKind)[keyof typeof ErrorKind];

export interface UploadErrorInit {
  kind: ErrorKind;
  code: number | string;
  message: string;
  action: ErrorAction;
  status?: number;
  serverMessage?: string;
  cause?: unknown;
}

export class UploadError extends Error {
  override readonly name = 'UploadError';
  readonly kind: ErrorKind;
  /** Server code (number), HTTP status (number) or a kind-specific string such as 'network'. */
  readonly code: number | string;
  readonly action: ErrorAction;
  /** HTTP status of the response, when there was one. */
  readonly status?: number;
  /** The server's own `message`, verbatim. */
  readonly serverMessage?: string;

  constructor(init: UploadErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.code = init.code;
    this.action = init.action;
    this.status = init.status;
    this.serverMessage = init.serverMessage;
  }

  /** Whether trying again later (automatically or by the user) can succeed. */
  get retryable(): boolean {
    return this.action !== ErrorAction.Fatal;
  }
}

/**
 * "The caller aborted" (pause, cancel, dispose), in one shape everywhere: never shown as an error.
 * `reason` says why (a signal's reason, or the engine's word: 'paused', 'cancelled'); it is the cause.
 */
export function abortedError(reason?: unknown, message = 'The operation was aborted.'): UploadError {
  return new UploadError({ kind: ErrorKind.Aborted, code: 'aborted', message, action: ErrorAction.Fatal, cause: reason });
}

export function isAbortError(e: unknown): boolean {
  return (
    (e instanceof UploadError && e.kind === ErrorKind.Aborted) ||
    (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'AbortError')
  );
}
