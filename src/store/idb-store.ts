// The SessionStore that survives reloads: idb-keyval on its own database ('vod-uploader', store
// 'sessions'), one versioned record per key. It never throws: on the first IndexedDB failure it warns
// once and serves this page from memory (uploads go on; they just will not resume after a reload).
// Writes are coalesced per key (see write-coalescer.ts): acknowledged slices arrive 20+ times a second;
// and batched across keys (write-batch.ts): a thousand small files make a few transactions, not thousands.

import { createStore, del, entries, get, promisifyRequest, type UseStore } from 'idb-keyval';
import { withTimeout } from '../engine/abort-race.js';
import { ErrorAction, ErrorKind, UploadError } from '../engine/errors.js';
import type { PutOptions, SessionStore, StoredSession } from '../engine/types.js';
import { MemorySessionStore } from './memory-store.js';
import { WriteBatcher, type BatchOp } from './write-batch.js';
import { WriteCoalescer } from './write-coalescer.js';
import type { ScheduleTimer } from '../engine/clock.js';

/** Bump when StoredSession changes incompatibly: older records are then deleted, not misread. */
export const SESSION_SCHEMA_VERSION = 1;

/**
 * At most one write per key this often. After a reload at most the acknowledgements of the last
 * ~MIN_WRITE_INTERVAL_MS (+ one write, a few ms) are lost: those slices are sent again.
 */
export const MIN_WRITE_INTERVAL_MS = 250;

/** An IndexedDB request that has not answered by then (Safari's stuck open) counts as a failure. */
const OPERATION_TIMEOUT_MS = 5_000;

/** What is stored under each key. */
export interface SessionRecord {
  schema: number;
  session: StoredSession;
}

export interface IdbSessionStoreOptions {
  dbName?: string;
  storeName?: string;
  minWriteIntervalMs?: number;
  now?: () => number;
  /** Flush pending writes on 'pagehide' (default true in a window). */
  flushOnPageHide?: boolean;
  /** An IndexedDB operation taking longer than this counts as a failure (default 5 s). */
  timeoutMs?: number;
  /** The timer of the write interval (default setTimeout; the element's is a worker's: clock.ts). */
  schedule?: ScheduleTimer;
}

function isCurrentRecord(value: unknown): value is SessionRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<SessionRecord>;
  const s = record.session as Partial<StoredSession> | undefined;
  return (
    record.schema === SESSION_SCHEMA_VERSION &&
    typeof s === 'object' &&
    s !== null &&
    typeof s.key === 'string' &&
    typeof s.size === 'number' &&
    typeof s.updatedAt === 'number' &&
    Array.isArray(s.acked)
  );
}

/**
 * One batch in one transaction, with an explicit `commit()`: Chromium otherwise commits a transaction
 * only when the page returns to its event loop, which a page being unloaded (the 'pagehide' flush)
 * may never do. A file handle this browser cannot clone (put throws DataCloneError at once) is left
 * out of its record: the session is kept, only "resume without re-choosing" is lost.
 */
function writeBatch(ops: ReadonlyMap<string, BatchOp<StoredSession>>, store: UseStore): Promise<void> {
  return store('readwrite', (objectStore) => {
    for (const [key, op] of ops) {
      if (op.kind === 'delete') {
        objectStore.delete(key);
        continue;
      }
      const session = op.value;
      try {
        objectStore.put({ schema: SESSION_SCHEMA_VERSION, session } satisfies SessionRecord, key);
      } catch (error) {
        if (errorName(error) !== 'DataCloneError' || !session.handle) throw error;
        objectStore.put({ schema: SESSION_SCHEMA_VERSION, session: { ...session, handle: undefined } } satisfies SessionRecord, key);
      }
    }
    objectStore.transaction.commit?.();
    return promisifyRequest(objectStore.transaction);
  });
}

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
}

export class IdbSessionStore implements SessionStore {
  onWarning?: (error: UploadError) => void;
  readonly #dbName: string;
  readonly #storeName: string;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  /** Every put lands here at once: it serves reads if IndexedDB fails later in this page. */
  readonly #memory: MemorySessionStore;
  readonly #writes: WriteCoalescer<StoredSession>;
  readonly #batches: WriteBatcher<StoredSession>;
  #idb: UseStore | undefined;
  #degraded = false;
  #persistRequested = false;

  constructor(options: IdbSessionStoreOptions = {}) {
    this.#dbName = options.dbName ?? 'vod-uploader';
    this.#storeName = options.storeName ?? 'sessions';
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs ?? OPERATION_TIMEOUT_MS;
    this.#memory = new MemorySessionStore({ now: this.#now });
    this.#batches = new WriteBatcher((ops) =>
      this.#use(
        (store) => writeBatch(ops, store),
        async () => undefined, // the memory mirror already has it
      ),
    );
    this.#writes = new WriteCoalescer({
      write: (key, session) => this.#batches.put(key, session),
      minIntervalMs: options.minWriteIntervalMs ?? MIN_WRITE_INTERVAL_MS,
      schedule: options.schedule,
    });
    if ((options.flushOnPageHide ?? true) && typeof window !== 'undefined') {
      // IndexedDB transactions begun in pagehide complete in current browsers; a later event may be too late.
      window.addEventListener('pagehide', this.#onPageHide);
    }
  }

  readonly #onPageHide = (): void => void this.flush();

  /** Writes what is pending and lets go of the 'pagehide' listener: the page needs this store no more. */
  close(): Promise<void> {
    if (typeof window !== 'undefined') window.removeEventListener('pagehide', this.#onPageHide);
    return this.flush();
  }

  /** True once IndexedDB failed and this page works from memory. */
  get degraded(): boolean {
    return this.#degraded;
  }

  async get(key: string): Promise<StoredSession | undefined> {
    // This key's pending write only: with thousands of small files, each file's read waiting for
    // every other file's writes made one IndexedDB transaction per file instead of a batch.
    await this.#writes.flush(key);
    return this.#use(
      async (store) => {
        const value: unknown = await get(key, store);
        if (value === undefined) return undefined;
        if (isCurrentRecord(value)) return value.session;
        await del(key, store);
        return undefined;
      },
      () => this.#memory.get(key),
    );
  }

  put(session: StoredSession, options?: PutOptions): Promise<void> {
    this.#memory.putNow(session);
    this.#requestPersistence();
    return this.#writes.put(session.key, session, options?.now);
  }

  async delete(key: string): Promise<void> {
    await this.#writes.drop(key);
    await this.#memory.delete(key);
    await this.#batches.delete(key);
  }

  async list(): Promise<StoredSession[]> {
    await this.#writes.flush();
    return this.#use(
      async (store) => {
        const all = await entries<IDBValidKey, unknown>(store);
        const sessions: StoredSession[] = [];
        for (const [key, value] of all) {
          if (isCurrentRecord(value)) sessions.push(value.session);
          else await del(key, store);
        }
        return sessions;
      },
      () => this.#memory.list(),
    );
  }

  async sweep(maxAgeMs: number): Promise<void> {
    const oldest = this.#now() - maxAgeMs;
    await this.#memory.sweep(maxAgeMs);
    // list() has already deleted records of other schema versions.
    for (const session of await this.list()) {
      if (session.updatedAt < oldest) await this.delete(session.key);
    }
  }

  /** Writes all pending updates now; for tests and for 'pagehide'. */
  flush(): Promise<void> {
    return this.#writes.flush();
  }

  /** Runs `op` on IndexedDB, or `fallback` once IndexedDB has failed; degrades on the first failure. */
  async #use<T>(op: (store: UseStore) => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (!this.#degraded) {
      try {
        if (typeof indexedDB === 'undefined') {
          throw new DOMException('IndexedDB is not available', 'NotSupportedError');
        }
        this.#idb ??= createStore(this.#dbName, this.#storeName);
        return await withTimeout(op(this.#idb), this.#timeoutMs);
      } catch (error) {
        this.#degrade(error);
      }
    }
    return fallback();
  }

  #degrade(error: unknown): void {
    this.#degraded = true;
    const quota = errorName(error) === 'QuotaExceededError';
    const warning = new UploadError({
      kind: ErrorKind.Storage,
      code: quota ? 'quota-exceeded' : 'storage-unavailable',
      message: quota
        ? 'The browser has no room left to remember uploads: they will not resume after a reload.'
        : 'The browser does not let this page store data: uploads will not resume after a reload.',
      // Nothing to retry on this page: uploads go on from memory; a later page load may have storage.
      action: ErrorAction.Fatal,
      cause: error,
    });
    try {
      this.onWarning?.(warning);
    } catch {
      // A listener's failure is not the store's.
    }
  }

  #requestPersistence(): void {
    if (this.#persistRequested) return;
    this.#persistRequested = true;
    try {
      // Persistent storage is not evicted under storage pressure; a refusal changes nothing else.
      void navigator.storage?.persist?.().catch(() => undefined);
    } catch {
      // No navigator (Node) or no StorageManager.
    }
  }
}
