// Small scripted fakes for engine tests: signer, hasher, cross-tab locks, online source, a store
// that can fail, and test files with deterministic content.

import { createHash } from 'node:crypto';
import { abortedError, ErrorAction, ErrorKind, UploadError } from '../../../src/engine/errors.js';
import { MemorySessionStore } from '../../../src/store/memory-store.js';
import type {
  HashCheckpoint, HashOptions, Hasher, LockHandle, OnlineSource, SessionStore, SignatureScope, Signer,
  PutOptions, StoredSession, UploadLocks,
} from '../../../src/engine/types.js';

/** A file of `size` bytes whose content depends on `seed` only. */
export function makeFile(size: number, name = 'clip.mp4', opts: { seed?: number; lastModified?: number; type?: string } = {}): File {
  const bytes = new Uint8Array(size);
  const seed = opts.seed ?? 7;
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 17 + (i >> 8)) & 255;
  return new File([bytes], name, { lastModified: opts.lastModified ?? 1_600_000_000_000, type: opts.type ?? 'video/mp4' });
}

export async function sha1Of(blob: Blob): Promise<string> {
  return createHash('sha1').update(new Uint8Array(await blob.arrayBuffer())).digest('hex');
}

export class FakeSigner implements Signer {
  gets = 0;
  readonly renewals: string[] = [];
  current = 'sig-1';
  private n = 1;
  /** When set, get() fails with it (a signing backend that is down). */
  failGet?: UploadError;

  async get(_scope: SignatureScope): Promise<string> {
    this.gets++;
    if (this.failGet) throw this.failGet;
    return this.current;
  }
  async renew(_scope: SignatureScope, rejected: string): Promise<string> {
    this.renewals.push(rejected);
    if (rejected === this.current) this.current = `sig-${++this.n}`;
    return this.current;
  }
}

/**
 * Computes real SHA-1s (so equal content gives equal fingerprints), reports progress in four
 * steps and a checkpoint every `checkpointEvery` bytes; `from` is recorded, and hashing "resumes"
 * there (the result is the whole file's sha regardless: the state bytes are fake).
 */
export class FakeHasher implements Hasher {
  readonly sha1Calls: { from?: number }[] = [];
  sampleCalls = 0;
  readonly sliceShaSizes: number[] = [];
  checkpointEvery = 0;
  /** The next sha1() fails with this (e.g. a NotReadableError DOMException). */
  failSha1?: unknown;
  /** sha1() waits for release() before finishing (to pause/cancel while hashing). */
  private gate?: { promise: Promise<void>; open: () => void };

  holdHashing(): void {
    let open!: () => void;
    const promise = new Promise<void>((r) => (open = r));
    this.gate = { promise, open };
  }
  releaseHashing(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  async sha1(file: Blob, options: HashOptions = {}): Promise<string> {
    const from = options.from?.offset ?? 0;
    this.sha1Calls.push({ from: options.from?.offset });
    if (this.failSha1 !== undefined) {
      const e = this.failSha1;
      this.failSha1 = undefined;
      throw e;
    }
    const step = Math.max(1, Math.ceil((file.size - from) / 4));
    let lastCheckpoint = from;
    for (let pos = from; pos < file.size; ) {
      pos = Math.min(file.size, pos + step);
      await new Promise((r) => setImmediate(r));
      if (options.signal?.aborted) throw abortedError();
      options.onProgress?.(pos);
      if (this.checkpointEvery > 0 && pos - lastCheckpoint >= this.checkpointEvery && pos < file.size) {
        lastCheckpoint = pos;
        const checkpoint: HashCheckpoint = { offset: pos, state: new Uint8Array([1, 2, 3]) };
        options.onCheckpoint?.(checkpoint);
      }
    }
    if (this.gate) await this.gate.promise;
    if (options.signal?.aborted) throw abortedError();
    options.onProgress?.(file.size);
    return sha1Of(file);
  }

  async sample(file: Blob): Promise<string> {
    this.sampleCalls++;
    const mid = Math.floor(file.size / 2);
    const parts = [file.slice(0, 64), file.slice(mid, mid + 64), file.slice(Math.max(0, file.size - 64))];
    const h = createHash('sha1');
    for (const p of parts) h.update(new Uint8Array(await p.arrayBuffer()));
    h.update(String(file.size));
    return h.digest('hex');
  }

  async sliceSha1(blob: Blob): Promise<string> {
    this.sliceShaSizes.push(blob.size);
    return sha1Of(blob);
  }
}

/** Locks shared by several queues, as Web Locks are by several tabs. */
export class LockRegistry {
  private readonly held = new Set<string>();
  private readonly waiters = new Map<string, (() => void)[]>();

  isHeld(key: string): boolean {
    return this.held.has(key);
  }

  private take(key: string): LockHandle {
    this.held.add(key);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.held.delete(key);
        const next = this.waiters.get(key)?.shift();
        next?.();
      },
    };
  }

  tab(): UploadLocks {
    return {
      tryAcquire: async (key) => (this.held.has(key) ? null : this.take(key)),
      acquire: (key, signal) =>
        new Promise<LockHandle>((resolve, reject) => {
          if (!this.held.has(key)) return resolve(this.take(key));
          const list = this.waiters.get(key) ?? [];
          const wake = (): void => {
            signal?.removeEventListener('abort', onAbort);
            resolve(this.take(key));
          };
          const onAbort = (): void => {
            this.waiters.set(key, (this.waiters.get(key) ?? []).filter((w) => w !== wake));
            reject(abortedError());
          };
          signal?.addEventListener('abort', onAbort, { once: true });
          list.push(wake);
          this.waiters.set(key, list);
        }),
    };
  }
}

export class FakeOnline implements OnlineSource {
  private online = true;
  private readonly listeners = new Set<(online: boolean) => void>();
  isOnline(): boolean {
    return this.online;
  }
  subscribe(listener: (online: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(online: boolean): void {
    this.online = online;
    for (const l of this.listeners) l(online);
  }
  get subscribers(): number {
    return this.listeners.size;
  }
}

type StoreOp = 'get' | 'put' | 'delete' | 'list' | 'sweep';

/** The in-memory store of src/store, with faults a test can switch on, and a count of writes. */
export class TestStore implements SessionStore {
  readonly inner: MemorySessionStore;
  readonly throwOn = new Set<StoreOp>();
  /** Calls onWarning (as a degraded IdbSessionStore does) on every put. */
  warnOnPut = false;
  puts = 0;
  /** The last record handed to put (written or still waiting). */
  lastPut?: StoredSession;
  /** The records handed to put with `now` (past a real store's coalescing interval), in order. */
  readonly urgent: StoredSession[] = [];
  onWarning?: (e: UploadError) => void;
  private putGate?: { promise: Promise<void>; open: () => void };

  /** Puts wait for releasePuts() (a slow IndexedDB). */
  holdPuts(): void {
    let open!: () => void;
    const promise = new Promise<void>((r) => (open = r));
    this.putGate = { promise, open };
  }
  releasePuts(): void {
    this.putGate?.open();
    this.putGate = undefined;
  }

  constructor(now: () => number) {
    this.inner = new MemorySessionStore({ now });
  }
  private check(op: StoreOp): void {
    if (this.throwOn.has(op)) throw new Error(`store ${op} broken`);
  }
  async get(key: string): Promise<StoredSession | undefined> {
    this.check('get');
    return this.inner.get(key);
  }
  async put(s: StoredSession, options?: PutOptions): Promise<void> {
    this.puts++;
    this.lastPut = s;
    if (options?.now) this.urgent.push(s);
    if (this.putGate) await this.putGate.promise;
    if (this.warnOnPut) {
      this.onWarning?.(new UploadError({ kind: ErrorKind.Storage, code: 'quota', message: 'quota exceeded', action: ErrorAction.Fatal }));
      return;
    }
    this.check('put');
    return this.inner.put(s);
  }
  async delete(key: string): Promise<void> {
    this.check('delete');
    return this.inner.delete(key);
  }
  async list(): Promise<StoredSession[]> {
    this.check('list');
    return this.inner.list();
  }
  async sweep(maxAgeMs: number): Promise<void> {
    this.check('sweep');
    return this.inner.sweep(maxAgeMs);
  }
}
