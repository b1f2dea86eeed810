// The stored session of one upload: guarded store calls (the store must never break an upload),
// ordered writes (a late put must not bring back a session that was just deleted), and the rules
// for trusting what was stored when the same file comes back.

import { ErrorAction, ErrorKind, UploadError } from './errors.js';
import { normalizeRanges } from './ranges.js';
import type { ByteRange, PutOptions, SessionStore, StoredSession } from './types.js';

function storageError(op: string, cause: unknown): UploadError {
  return new UploadError({
    kind: ErrorKind.Storage,
    code: `store-${op}`,
    message: `Saving upload progress failed (${op}); uploads continue but may not resume after a reload.`,
    action: ErrorAction.Fatal,
    cause,
  });
}

/** The store with every call in try/catch: by contract it never throws, but a bug must not stop uploads. */
export class SafeStore {
  readonly #store: SessionStore;
  readonly #warn: (e: UploadError) => void;

  constructor(store: SessionStore, warn: (e: UploadError) => void) {
    this.#store = store;
    this.#warn = warn;
  }

  async #guard<T>(op: string, fallback: T, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      this.#warn(storageError(op, e));
      return fallback;
    }
  }

  get(key: string): Promise<StoredSession | undefined> {
    return this.#guard('get', undefined, () => this.#store.get(key));
  }
  put(s: StoredSession, options?: PutOptions): Promise<void> {
    return this.#guard('put', undefined, () => this.#store.put(s, options));
  }
  delete(key: string): Promise<void> {
    return this.#guard('delete', undefined, () => this.#store.delete(key));
  }
  list(): Promise<StoredSession[]> {
    return this.#guard('list', [], () => this.#store.list());
  }
  sweep(maxAgeMs: number): Promise<void> {
    return this.#guard('sweep', undefined, () => this.#store.sweep(maxAgeMs));
  }
}

/**
 * Hands every change of the record to the store at once: coalescing writes is the store's job
 * (IdbSessionStore: one write per key every 250 ms, all flushed on 'pagehide'), so nothing waits
 * here where a flush cannot reach it. A delete waits for the puts before it and closes the writer,
 * so a late put cannot bring back a session that was just deleted.
 */
export class RecordWriter {
  readonly #puts = new Set<Promise<void>>();
  #last: Promise<void> = Promise.resolve();
  #closed = false;

  readonly #store: SafeStore;
  readonly #read: () => StoredSession | undefined;
  readonly #now: () => number;

  constructor(store: SafeStore, read: () => StoredSession | undefined, now: () => number) {
    this.#store = store;
    this.#read = read;
    this.#now = now;
  }

  save(options?: PutOptions): void {
    const record = this.#read();
    if (this.#closed || !record) return;
    record.updatedAt = this.#now();
    const put = this.#store.put({ ...record, acked: record.acked.map((r): ByteRange => [r[0], r[1]]) }, options);
    this.#puts.add(put);
    void put.finally(() => this.#puts.delete(put));
  }

  /** Deletes the stored session after pending writes; nothing is written afterwards until reopen(). */
  remove(key: string): Promise<void> {
    this.#closed = true;
    const before = [...this.#puts, this.#last];
    this.#last = Promise.all(before).then(() => this.#store.delete(key));
    return this.#last;
  }

  reopen(): void {
    this.#closed = false;
  }

  /** Resolves when every write handed to the store so far is done (tests, dispose). */
  async flush(): Promise<void> {
    await Promise.all([...this.#puts, this.#last]);
  }
}

/** What a stored session of a file whose mtime changed can still give, if the content proves equal. */
export interface SessionCandidate {
  sha: string;
  session: string;
  sliceSize?: number;
  acked: ByteRange[];
}

/**
 * Decides what to reuse of `stored` for the file described by `fresh` (same fingerprint key):
 * - same size, lastModified and type: everything (sha, checkpoint, server session, acked ranges);
 * - otherwise the file may have changed under the same sampled fingerprint: hash again from zero
 *   and send no old session (the server would answer -4016), but keep the old session aside as a
 *   candidate: if the new whole-file sha equals the stored one, the content is the same and the
 *   old session goes on.
 */
export function reconcileStored(
  stored: StoredSession | undefined,
  fresh: StoredSession,
): { record: StoredSession; candidate?: SessionCandidate } {
  if (!stored || stored.size !== fresh.size) return { record: fresh };
  const createdAt = stored.createdAt || fresh.createdAt;
  if (stored.lastModified === fresh.lastModified && stored.type === fresh.type) {
    return {
      record: {
        ...stored,
        name: fresh.name,
        handle: fresh.handle ?? stored.handle,
        metadata: stored.metadata ?? fresh.metadata,
        acked: normalizeRanges(stored.acked ?? []),
        createdAt,
      },
    };
  }
  const candidate =
    stored.sha && stored.session
      ? { sha: stored.sha, session: stored.session, sliceSize: stored.sliceSize, acked: normalizeRanges(stored.acked ?? []) }
      : undefined;
  return { record: { ...fresh, metadata: stored.metadata ?? fresh.metadata, createdAt }, candidate };
}
