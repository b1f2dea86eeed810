// The engine's contract: the states and snapshots it reports, and the small interfaces it depends on.
// Adapters in protocol/, hashing/ and store/ implement these; Node tests hand the engine fakes.

import type { UploadError } from './errors.js';

/** Where a file goes: POST {endpoint}/{appid}/{bucket}/{dir}/{name}. */
export interface UploadTarget {
  appid: string;
  bucket: string;
  /** Zero or more segments separated by '/', e.g. 'videos/2026'. */
  dir: string;
}

/** Optional metadata sent with the first request. Only fields that are set are sent. */
export interface Metadata {
  video_title?: string;
  video_desc?: string;
  video_cover?: string;
  biz_attr?: string;
  magicContext?: string;
}

/** What the server says when a file is complete (finished now, earlier, or by sha: "instant"). */
export interface UploadResult {
  accessUrl: string;
  url: string;
  resourcePath: string;
  /** True when no byte of the file had to be sent (the server already had it). */
  instant: boolean;
}

// ---------------------------------------------------------------------------------------------
// Protocol client (src/protocol/client.ts implements it)

export interface CreateRequest {
  target: UploadTarget;
  name: string;
  filesize: number;
  sha: string;
  session?: string;
  metadata?: Metadata;
  signature: string;
  signal?: AbortSignal;
}

export type CreateResult =
  | { kind: 'continue'; session: string; offset: number; sliceSize: number }
  | { kind: 'done'; result: UploadResult };

export interface SliceRequest {
  target: UploadTarget;
  name: string;
  session: string;
  offset: number;
  /** A `file.slice()` Blob, handed to fetch as is: never read on the main thread. */
  body: Blob;
  /** SHA-1 of this slice, only when the `slice-sha` option is on. */
  sha?: string;
  signature: string;
  signal?: AbortSignal;
}

export type SliceResult =
  | { kind: 'ack'; session: string; offset: number }
  | { kind: 'done'; session: string; offset: number; result: UploadResult };

/** Throws UploadError for every failure (with the action from PROTOCOL.md's table). */
export interface ProtocolClient {
  create(req: CreateRequest): Promise<CreateResult>;
  sendSlice(req: SliceRequest): Promise<SliceResult>;
}

// ---------------------------------------------------------------------------------------------
// Signatures (src/protocol/signature.ts implements it)

export type SignatureReason = 'initial' | 'expiring' | 'rejected';

export interface SignatureContext {
  appid: string;
  bucket: string;
  /** The target path: `{dir}/{name}` as given (not percent-encoded), no leading slash. */
  path: string;
  reason: SignatureReason;
  /**
   * Aborted when no upload waits for this signature any more (paused, cancelled) or when the
   * signer's timeout passes: hand it to your own fetch.
   */
  signal?: AbortSignal;
}

/** What an embedder provides: a function returning the signature text. */
export type SignatureFunction = (ctx: SignatureContext) => Promise<string> | string;

/**
 * Hands out valid signatures. Renews ahead of expiry; concurrent callers share one request;
 * throws UploadError (kind 'signature', action 'retry') when the source fails or answers garbage.
 */
export interface SignatureScope {
  appid: string;
  bucket: string;
  /** `{dir}/{name}`, not percent-encoded, no leading slash. */
  path: string;
}

export interface Signer {
  get(scope: SignatureScope, signal?: AbortSignal): Promise<string>;
  /**
   * The server refused `rejected`. Returns a new signature, asking the source at most once per
   * rejected signature (callers that report the same rejected signature share the answer).
   */
  renew(scope: SignatureScope, rejected: string, signal?: AbortSignal): Promise<string>;
}

// ---------------------------------------------------------------------------------------------
// Hashing (src/hashing/hasher.ts implements it with a module worker and hash-wasm)

/** hash-wasm's saved SHA-1 state after `offset` bytes, so hashing can go on after a reload. */
export interface HashCheckpoint {
  offset: number;
  state: Uint8Array;
}

export interface HashOptions {
  signal?: AbortSignal;
  /** Go on from a checkpoint instead of byte 0. */
  from?: HashCheckpoint;
  /** Hashed bytes so far (throttled: a few per second at most, always once at the end). */
  onProgress?(hashedBytes: number): void;
  /** At each multiple of 256 MiB (hash-core's CHECKPOINT_EVERY) before the end, whatever the reads' sizes. */
  onCheckpoint?(checkpoint: HashCheckpoint): void;
}

export interface Hasher {
  /** SHA-1 of the whole file, 40 lowercase hex characters. */
  sha1(file: Blob, options?: HashOptions): Promise<string>;
  /** SHA-1 over a few small ranges (start, middle, end) and the size: milliseconds, even for 20 GB. */
  sample(file: Blob, signal?: AbortSignal): Promise<string>;
  /** SHA-1 of one blob (a slice), for the optional per-slice sha. */
  sliceSha1(blob: Blob, signal?: AbortSignal): Promise<string>;
}

// ---------------------------------------------------------------------------------------------
// Session store (src/store/idb-store.ts and memory-store.ts implement it)

/** Half-open byte range [start, end) acknowledged by the server. */
export type ByteRange = [start: number, end: number];

/** What survives a reload, per file fingerprint. Never holds the signature. */
export interface StoredSession {
  /** Fingerprint key: see `fingerprintKey()` in engine/fingerprint.ts. */
  key: string;
  name: string;
  size: number;
  lastModified: number;
  type: string;
  /** `{dir}/{name}` on the server. */
  path: string;
  target: UploadTarget;
  sampleSha: string;
  sha?: string;
  session?: string;
  sliceSize?: number;
  acked: ByteRange[];
  checkpoint?: HashCheckpoint;
  metadata?: Metadata;
  /** Where the browser gave one: lets the upload go on after a reload without choosing the file. */
  handle?: FileSystemFileHandle;
  createdAt: number;
  updatedAt: number;
}

export interface PutOptions {
  /**
   * Write at once, not after the store's coalescing interval: the record just gained what a reload
   * could not get back cheaply (the whole file's sha, a new server session).
   */
  now?: boolean;
}

/**
 * Never throws: failures (IndexedDB blocked, over quota, old schema) degrade to "no resume" and are
 * reported once through `onWarning`. `put` comes after every acknowledged slice: a store that writes
 * somewhere slow coalesces them (IdbSessionStore does), and a `delete` must win over earlier puts.
 */
export interface SessionStore {
  get(key: string): Promise<StoredSession | undefined>;
  /** A store may coalesce frequent puts of one key (IdbSessionStore does), unless `options.now`. */
  put(session: StoredSession, options?: PutOptions): Promise<void>;
  delete(key: string): Promise<void>;
  list(): Promise<StoredSession[]>;
  /** Deletes entries not updated for `maxAgeMs`. */
  sweep(maxAgeMs: number): Promise<void>;
  onWarning?: (error: UploadError) => void;
}

/** Cross-tab exclusion per fingerprint (Web Locks in the browser, an in-memory fake in Node). */
export interface UploadLocks {
  /** Takes the lock now, or returns null when another tab holds it. */
  tryAcquire(key: string): Promise<LockHandle | null>;
  /** Waits for the lock (the other tab closed or finished); rejects on abort. */
  acquire(key: string, signal?: AbortSignal): Promise<LockHandle>;
}
export interface LockHandle {
  release(): void;
}

// ---------------------------------------------------------------------------------------------
// What the engine reports

export const UploadStatus = {
  Queued: 'queued',
  Hashing: 'hashing',
  Uploading: 'uploading',
  Paused: 'paused',
  Retrying: 'retrying',
  Done: 'done',
  Error: 'error',
  Cancelled: 'cancelled',
} as const;
export type UploadStatus = (typeof UploadStatus)[keyof typeof UploadStatus];

export interface UploadErrorInfo {
  code: number | string;
  message: string;
  retryable: boolean;
  kind: string;
}

/** A read-only picture of one upload, as events and the element's `uploads` property give it. */
export interface UploadSnapshot {
  id: string;
  name: string;
  size: number;
  type: string;
  path: string;
  status: UploadStatus;
  hashedBytes: number;
  uploadedBytes: number;
  sha?: string;
  /** Bytes per second over the last few seconds of the current phase. */
  speed: number;
  /** Seconds left in the current phase, or undefined when unknown. */
  eta?: number;
  /** When status is 'retrying': the time (ms since epoch) of the next attempt. */
  retryAt?: number;
  /** When status is 'retrying': the failure that is being retried (shown beside the countdown). */
  retryReason?: UploadErrorInfo;
  error?: UploadErrorInfo;
  result?: UploadResult;
  /** Another tab is uploading this file; this one waits and takes over when it stops. */
  elsewhere?: boolean;
}

/** An upload left by an earlier page (reload, crash) that can go on. */
export interface RestorableUpload {
  key: string;
  name: string;
  size: number;
  type: string;
  path: string;
  uploadedBytes: number;
  hashedBytes: number;
  /** A file handle was stored: `restore(key)` can go on without the file chooser (after permission). */
  hasHandle: boolean;
  updatedAt: number;
}

/** Tells the engine whether the browser is online (navigator.onLine + events; a fake in Node). */
export interface OnlineSource {
  isOnline(): boolean;
  /** Calls back on every change; returns an unsubscribe function. */
  subscribe(listener: (online: boolean) => void): () => void;
}

/** The detail of each event the queue dispatches (as CustomEvent<detail>, with these type names). */
export interface UploadQueueEventMap {
  add: { upload: UploadSnapshot };
  start: { upload: UploadSnapshot };
  progress: { upload: UploadSnapshot };
  pause: { upload: UploadSnapshot };
  resume: { upload: UploadSnapshot };
  retry: { upload: UploadSnapshot; attempt: number; delayMs: number; error: UploadError };
  success: { upload: UploadSnapshot; result: UploadResult };
  error: { upload: UploadSnapshot; error: UploadError };
  cancel: { upload: UploadSnapshot };
  /** Any change of any upload (status, progress, list): for views that re-render. */
  change: {
    uploads: readonly UploadSnapshot[];
    /** Ids taken out of the list since the last 'change': what a view keeps per row can go (no walk over the list). */
    removed: readonly string[];
  };
  /** Not fatal to any upload: storage unavailable, persistence refused, and the like. */
  warning: { error: UploadError };
  restorable: { uploads: RestorableUpload[] };
  /** `busy` (queue.ts) turned true or false: whoever owns the queue may let it go once it is false. */
  busy: { busy: boolean };
}

// ---------------------------------------------------------------------------------------------
// Appended by the engine (declaration merging keeps the declarations above unchanged)

export type PausedReason = 'user' | 'offline';

export interface UploadSnapshot {
  /** When status is 'paused': the user paused it, or the browser went offline (resumes by itself). */
  pausedReason?: PausedReason;
}
